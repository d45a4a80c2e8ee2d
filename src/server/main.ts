import path from 'node:path';
import { loadConfigOrExit } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { liveFeedHub } from '../shared/live-feed.ts';
import { migrate, withStartupLock } from '../db/migrate.ts';
import { DatabaseUnavailable, describeDatabase, waitForDatabase } from '../db/wait.ts';
import { ensureFirstAdmin } from '../modules/auth/index.ts';
import { expireOverdueOrders } from '../modules/orders/index.ts';
import { sweepWaitlists } from '../modules/waitlist/index.ts';
import { createProviders, testPaymentsAllowed } from '../modules/payments/index.ts';
import { resolveAppSecret } from '../shared/app-secret.ts';
import { stripeProviderFromConfig } from '../modules/payments/stripe/index.ts';
import { systemClock } from '../shared/clock.ts';
import { restrictDataDir, useOwnerOnlyFiles } from '../shared/data-dir.ts';
import { safeError } from '../shared/log-safety.ts';
import { watchRedisAtStart } from '../shared/redis-probe.ts';
import { openRedis } from '../shared/redis.ts';
import { startServerDelivery, type Stoppable } from '../worker/notifier.ts';
import { buildApp } from './app.ts';
import type { Availability } from './availability.ts';
import { seedDemoEvent } from './demo-seed.ts';
import { serverLogger } from './logger.ts';

const SWEEP_INTERVAL_MS = 30_000;
// Set by a signal; a start-up that then fails (its database closed under it) is not reported as a failure.
let closing = false;

async function main() {
  const config = loadConfigOrExit();
  // Before anything is written under DATA_DIR (the secret, PGlite, the outbox).
  const unchanged = useOwnerOnlyFiles(config.dataDir);
  config.appSecret = resolveAppSecret(config);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  // With a Stripe key, new priced orders pay through Stripe; the test provider stays for older orders.
  // One Redis connection for the whole process: limits, readiness, metrics, the outbox relay, Stripe pacing.
  const redis = config.redisUrl ? openRedis(config.redisUrl, 'server') : undefined;
  redis?.on('error', () => {}); // until the app's logger takes over below; it reconnects by itself
  let redisWarned = false;
  const stripe = config.stripe
    ? stripeProviderFromConfig(config.stripe, {
        redis,
        onRedisError: (err) => {
          if (!redisWarned) console.warn('Stripe rate limiter: Redis unavailable, pacing per process', err);
          redisWarned = true;
        },
      })
    : null;
  const payments = createProviders(stripe ? [stripe] : [], { allowTest: testPaymentsAllowed(config) });
  // Every process hears every committed scan or sale (migration 0805's NOTIFY): the live control room.
  // The hub exists from the start; it is fed once the database answers (LISTEN below).
  const hub = liveFeedHub();
  const deps = { db: database.db, config, clock: systemClock, payments, live: hub.feed };
  // Listening comes before the database answers: /healthz and /readyz tell a supervisor what we wait for.
  const availability: Availability = {
    ready: false,
    reason: config.databaseUrl ? `waiting for ${describeDatabase(config.databaseUrl)}` : 'opening the embedded database',
  };

  const app = await buildApp({
    deps,
    clientDir: path.resolve('dist/client'),
    logger: await serverLogger(config),
    availability,
    redis,
  });
  redis?.on('error', (err) => app.log.warn({ error: err.message }, 'redis connection error'));

  // Started once the database answers; a signal may come before.
  const started: { sweeper?: NodeJS.Timeout; delivery?: Stoppable; stopListening?: () => Promise<void> } = {};
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    clearInterval(started.sweeper);
    // In-flight requests finish; new ones on open connections get 503. A stuck request can't hold us forever.
    setTimeout(() => {
      app.log.error({ graceMs: config.shutdownGraceMs }, 'requests still running after the grace period: exiting');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    // Node closes idle keep-alive sockets once, at close(); a socket whose request was in flight then
    // would idle until keepAliveTimeout. Reap them as they finish so draining ends with the last request.
    setInterval(() => app.server.closeIdleConnections(), 50).unref();
    await app.close();
    await started.delivery?.stop();
    await redis?.quit().catch(() => redis.disconnect());
    await started.stopListening?.();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.port === 0 ? `http://localhost:${port}` : config.publicUrl;
  // Machine-readable: listening, not yet ready (tests of start-up against a missing database wait for this).
  if (process.env.PRINT_LISTEN_JSON === '1') console.log(JSON.stringify({ accepting: base }));

  if (config.databaseUrl) {
    await waitForDatabase(database, {
      url: config.databaseUrl,
      waitSeconds: config.databaseWaitSeconds,
      say: (line) => console.error(`Gatekeeper: ${line}`),
      isStopped: () => closing,
    });
  }
  availability.reason = 'running migrations';
  const admin = await withStartupLock(database, async () => {
    await migrate(database);
    const first = await ensureFirstAdmin(database.db, {
      email: config.adminEmail,
      password: config.adminPassword,
      generate: !config.databaseUrl,
    });
    if (config.seedDemo) await seedDemoEvent(database.db, systemClock());
    return first;
  });
  // PGlite made its files (a new database's, the migrations' tables) 0666: owner-only again.
  if (database.kind === 'pglite') unchanged.push(...restrictDataDir(config.dataDir));
  if (unchanged.length > 0) app.log.warn({ paths: unchanged.slice(0, 10), count: unchanged.length }, 'could not make these DATA_DIR paths owner-only');
  if (config.nodeEnv === 'production' && deps.payments.current?.name === 'test') {
    app.log.warn('ALLOW_TEST_PAYMENTS=true: priced orders are "paid" with the TEST provider and no money is collected.');
  } else if (!deps.payments.current) {
    app.log.warn('no payment provider: only free tickets can be ordered. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to sell.');
  }

  started.stopListening = await database.listen('gk_live', hub.publish).catch((err: unknown) => {
    app.log.warn({ err }, 'live updates unavailable (LISTEN failed); the live page refreshes every few seconds instead');
    return async () => {};
  });
  started.sweeper = setInterval(() => {
    expireOverdueOrders(database.db, systemClock())
      // Then the waiting lists: offers that ran out, seats freed where no order did it.
      .then(() => sweepWaitlists(database.db, systemClock()))
      .catch((err) => app.log.error({ err }, 'expiry sweep failed'));
  }, SWEEP_INTERVAL_MS);
  started.sweeper.unref();
  started.delivery = await startServerDelivery(deps, app.log, redis);
  // Optional: the server runs without Redis, and says so.
  if (config.redisUrl) {
    void watchRedisAtStart(config.redisUrl, {
      say: (line) => console.error(`Gatekeeper: ${line}`),
      isStopped: () => closing,
      meanwhile: 'Running without it (rate limits count per process, messages wait in the outbox)',
    });
  }
  availability.ready = true;

  const lines = [
    '',
    `  Gatekeeper is running (${database.kind === 'pglite' ? `embedded PGlite in ${path.resolve(config.dataDir)}` : 'PostgreSQL'})`,
    `  Storefront: ${base}/`,
    `  Admin:      ${base}/admin`,
    `  Scanner:    ${base}/scanner`,
  ];
  if (admin?.generatedPassword) {
    lines.push('', `  First admin (shown once): ${admin.email} / ${admin.generatedPassword}`);
  } else if (!admin && !config.adminEmail && config.databaseUrl) {
    lines.push('', '  No admin yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart.');
  }
  console.log(lines.join('\n') + '\n');
  // PM2 (wait_ready) routes traffic to this instance only from here on.
  process.send?.('ready');
  // Machine-readable for tests and scripts that start the server on PORT=0: listening and ready.
  if (process.env.PRINT_LISTEN_JSON === '1') console.log(JSON.stringify({ listening: base }));
}

main().catch((err) => {
  if (closing) return; // the shutdown in progress exits
  // The database never answered: the clear line already said why; no stack trace to bury it.
  if (err instanceof DatabaseUnavailable) {
    console.error(`Gatekeeper failed to start: ${err.message}`);
    process.exit(1);
  }
  // A start-up failure can be a database error (the first admin's password hash is a parameter): logged safely.
  console.error('Gatekeeper failed to start:', JSON.stringify(safeError(err), null, 2));
  process.exit(1);
});
