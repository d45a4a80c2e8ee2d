import { loadConfigOrExit, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { DatabaseUnavailable, waitForDatabase } from '../db/wait.ts';
import { countPendingOutbox, type Log } from '../modules/notifications/index.ts';
import { resolveAppSecret } from '../shared/app-secret.ts';
import { systemClock } from '../shared/clock.ts';
import { useOwnerOnlyFiles } from '../shared/data-dir.ts';
import { safeError, withSafeErrors } from '../shared/log-safety.ts';
import { watchRedisAtStart } from '../shared/redis-probe.ts';
import { withTimeout } from '../shared/timeout.ts';
import { startWorkerProcess, type WorkerPipeline } from './notifier.ts';

/** `npm run worker`: sends the outbox's emails and SMS through BullMQ (needs REDIS_URL). */

// One JSON line per event, like the server's pino output; errors as safeError makes them (no SQL parameters).
const line = (level: string) => (obj: object, msg: string) =>
  console.log(JSON.stringify({ level, time: Date.now(), msg, ...withSafeErrors(obj) }));
const log: Log = { info: line('info'), warn: line('warn'), error: line('error') };

function readConfig(): Config & { redisUrl: string; databaseUrl: string } {
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
  return { ...config, redisUrl: config.redisUrl, databaseUrl: config.databaseUrl, appSecret: resolveAppSecret(config) };
}

// Set by a signal; a start-up that then fails (its database closed under it) is not reported as a failure.
let closing = false;

async function main() {
  const config = readConfig();
  // Filled in as start-up proceeds; a signal may arrive before either exists.
  const started: { database?: Database; pipeline?: WorkerPipeline } = {};

  // Installed first: a signal during start-up (Redis or PostgreSQL not answering yet) must end us too.
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: finishing the jobs in hand');
    // Jobs wait on Redis (and PostgreSQL) without limit while it is away: the grace period bounds the wait.
    // Not unref'd: whatever is stuck, the process ends here or in the clean path below.
    setTimeout(() => void exitLeaving(config, started.database, started.pipeline), config.shutdownGraceMs);
    await started.pipeline?.stop();
    await started.database?.close();
    log.info({}, 'worker stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const database = (started.database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize }));
  await waitForDatabase(database, {
    url: config.databaseUrl,
    waitSeconds: config.databaseWaitSeconds,
    say: (msg) => log.warn({}, msg),
    isStopped: () => closing,
  });
  await migrate(database);
  // The worker needs Redis: it waits for it (its connections reconnect by themselves), and says so.
  void watchRedisAtStart(config.redisUrl, {
    say: (msg) => log.warn({}, msg),
    isStopped: () => closing,
    meanwhile: 'The worker sends nothing until it answers (messages wait in the outbox)',
  });
  started.pipeline = await startWorkerProcess({ db: database.db, clock: systemClock, config }, log);
  log.info({ queuePrefix: config.notifications.queuePrefix }, 'notification worker started');
}

/**
 * The grace period is over: exit, saying what is left. A job in hand stays in the queue and runs again
 * once its lock expires (its delivery rows keep a sent channel from being sent twice); outbox rows not
 * yet relayed stay for the next worker or server.
 */
async function exitLeaving(config: Config, database: Database | undefined, pipeline: WorkerPipeline | undefined) {
  const left = pipeline?.left() ?? { stage: 'starting', jobsInHand: [] };
  const unsentOutbox = database
    ? await withTimeout(countPendingOutbox(database.db), 500, 'outbox count').catch(() => 'unknown: the database does not answer')
    : 'unknown';
  log.warn(
    { graceMs: config.shutdownGraceMs, ...left, unsentOutbox },
    'grace period over: exiting and leaving work behind (jobs in hand stay in the queue and run again; unsent outbox rows stay for the next worker)',
  );
  process.exit(1);
}

main().catch((err) => {
  if (closing) return; // the shutdown in progress exits
  // The clear line says why; a stack trace would only bury it.
  if (err instanceof DatabaseUnavailable) {
    console.error(JSON.stringify({ level: 'fatal', time: Date.now(), msg: `worker failed to start: ${err.message}` }));
    process.exit(1);
  }
  console.error(JSON.stringify({ level: 'fatal', time: Date.now(), msg: 'worker failed to start', err: safeError(err) }));
  process.exit(1);
});
