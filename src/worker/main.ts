import { loadConfigOrExit, type Config } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import type { Log } from '../modules/notifications/index.ts';
import { resolveAppSecret } from '../shared/app-secret.ts';
import { systemClock } from '../shared/clock.ts';
import { useOwnerOnlyFiles } from '../shared/data-dir.ts';
import { safeError, withSafeErrors } from '../shared/log-safety.ts';
import { startWorkerProcess } from './notifier.ts';

/** `npm run worker`: sends the outbox's emails and SMS through BullMQ (needs REDIS_URL). */

// One JSON line per event, like the server's pino output; errors as safeError makes them (no SQL parameters).
const line = (level: string) => (obj: object, msg: string) =>
  console.log(JSON.stringify({ level, time: Date.now(), msg, ...withSafeErrors(obj) }));
const log: Log = { info: line('info'), warn: line('warn'), error: line('error') };

function readConfig(): Config & { redisUrl: string } {
  const config = loadConfigOrExit();
  if (!config.redisUrl || !config.databaseUrl) {
    console.error(
      'Invalid configuration:\n  the worker needs REDIS_URL and DATABASE_URL (without them the server sends by itself; the embedded database allows one process)',
    );
    process.exit(1);
  }
  // Before DATA_DIR/secret or an outbox file is written.
  const unchanged = useOwnerOnlyFiles(config.dataDir);
  if (unchanged.length > 0) log.warn({ paths: unchanged.slice(0, 10), count: unchanged.length }, 'could not make these DATA_DIR paths owner-only');
  return { ...config, redisUrl: config.redisUrl, appSecret: resolveAppSecret(config) };
}

async function main() {
  const config = readConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  await migrate(database);
  const pipeline = await startWorkerProcess({ db: database.db, clock: systemClock, config }, log);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing the jobs in hand');
    await pipeline.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Announced only once the handlers are in: node installs its signal handler at process.on(), and a
  // SIGTERM sent on seeing this line (PM2, a test) before that would kill the worker undrained.
  log.info({ queuePrefix: config.notifications.queuePrefix }, 'notification worker started');
}

main().catch((err) => {
  console.error(JSON.stringify({ level: 'fatal', time: Date.now(), msg: 'worker failed to start', err: safeError(err) }));
  process.exit(1);
});
