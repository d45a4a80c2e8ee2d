// PM2 process file: `pm2 start ecosystem.config.cjs` (add `--env production` for NODE_ENV=production).
// The server runs in cluster mode, one instance per core, all sharing the port; the notification worker
// is its own single process. Environment (DATABASE_URL, REDIS_URL, ...) comes from the shell or `env`.
// Both run the esbuild bundles in dist/server (`npm run build`; `npm install` builds too): plain node,
// no TypeScript loader in production.
const fs = require('node:fs');
const path = require('node:path');

if (!fs.existsSync(path.join(__dirname, 'dist/server/main.js'))) {
  throw new Error('dist/server/main.js is missing: run `npm run build` before `pm2 start ecosystem.config.cjs`');
}

// Longer than SHUTDOWN_GRACE_MS (10 s): PM2 sends SIGINT, the server drains, then PM2 would SIGKILL.
const KILL_TIMEOUT_MS = 15_000;

const apps = [
  {
    name: 'gatekeeper-server',
    script: 'dist/server/main.js',
    exec_mode: 'cluster',
    instances: process.env.WEB_CONCURRENCY || 'max',
    // Each instance runs migrations under an advisory lock before it listens (src/db/migrate.ts): the first
    // applies them, the others wait and find them done. `ready` is sent after listen.
    wait_ready: true,
    listen_timeout: 60_000,
    kill_timeout: KILL_TIMEOUT_MS,
    // The V8 heap cap every launcher gives the server (docs/performance.md: RSS ≤ 200 MB under load, no
    // more GC time than without it); every call's memory is bounded (paged snapshots, streamed exports).
    // SERVER_HEAP_MB changes it here.
    node_args: [`--max-old-space-size=${process.env.SERVER_HEAP_MB || 128}`],
    max_memory_restart: '400M',
    merge_logs: true,
    env: { NODE_ENV: 'development' },
    env_production: { NODE_ENV: 'production' },
  },
  {
    // The notification worker (src/worker/main.ts), its own single process.
    name: 'gatekeeper-worker',
    script: 'dist/server/worker.js',
    exec_mode: 'fork',
    instances: 1,
    // The worker finishes its current jobs on SIGINT/SIGTERM before it exits.
    kill_timeout: KILL_TIMEOUT_MS,
    max_memory_restart: '300M',
    env: { NODE_ENV: 'development' },
    env_production: { NODE_ENV: 'production' },
  },
];

module.exports = { apps };
