# syntax=docker/dockerfile:1
# Gatekeeper: the same build as `npm start` (npm run build: vite + esbuild; then node dist/server/main.js).
# docker build -t gatekeeper . && docker run -p 3000:3000 -v gatekeeper-data:/data gatekeeper

ARG NODE_IMAGE=node:20-slim

# 1. Dependencies, with the build tools (vite, esbuild). --ignore-scripts: the sources are not here yet for
#    the postinstall build; the build stage runs it.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# 2. The SPA into dist/client, the server and worker bundles (with the migrations) into dist/server.
FROM deps AS build
COPY . .
RUN npm run build

# 3. Runtime: production dependencies and dist/ only; no TypeScript, no loader.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY ecosystem.config.cjs ./
# The embedded PGlite database lives here when DATABASE_URL is not set.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) drains in-flight requests; give it more than SHUTDOWN_GRACE_MS: docker stop -t 15.
STOPSIGNAL SIGTERM
# The notification worker is the same image: docker run … gatekeeper node dist/server/worker.js
# The server's V8 heap cap, as in `npm start` and PM2 (docs/performance.md); pass another command to change it.
CMD ["node", "--max-old-space-size=128", "dist/server/main.js"]
