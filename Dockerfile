# syntax=docker/dockerfile:1
# Gatekeeper: the same build as `npm start` (npm ci, vite build, node --import tsx src/server/main.ts).
# docker build -t gatekeeper . && docker run -p 3000:3000 -v gatekeeper-data:/data gatekeeper

ARG NODE_IMAGE=node:20-slim

# 1. Dependencies, with dev tools (vite) for the client build.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. The SPA, built once into dist/client.
FROM deps AS build
COPY . .
RUN npx vite build --logLevel warn

# 3. Runtime: production dependencies only (tsx is one: the server runs its TypeScript directly).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/client ./dist/client
COPY src ./src
COPY tsconfig.json ecosystem.config.cjs ./
# The embedded PGlite database lives here when DATABASE_URL is not set.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) drains in-flight requests; give it more than SHUTDOWN_GRACE_MS: docker stop -t 15.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/server/main.ts"]
