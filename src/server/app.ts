import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { contextFactory, type AppDeps } from './context.ts';
import { registerLoadtestProbe } from './loadtest-probe.ts';
import { requestDuration } from '../trpc/metrics.ts';
import { appRouter } from './router.ts';
import { registerTrpc } from './plugins/trpc.ts';
import { createCallerFactory } from '../trpc/index.ts';
import { alwaysReady, availabilityGuard, type Availability } from './availability.ts';
import { registerClient } from './plugins/client.ts';
import { registerDevMailbox } from './plugins/dev-mailbox.ts';
import { registerExports } from './plugins/exports.ts';
import { csrfGuard } from './plugins/csrf.ts';
import { refusalCache } from './plugins/refusal-cache.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerStripeWebhook } from './plugins/stripe-webhook.ts';
import { registerTicketDownloads } from './plugins/ticket-downloads.ts';
import { isStripeProvider } from '../modules/payments/stripe/index.ts';
import { MAX_BATCH_SIZE } from '../shared/batching.ts';
import { createCallLimits } from '../shared/call-limits.ts';
import { openRedis } from '../shared/redis.ts';
import { withTimeout } from '../shared/timeout.ts';

export type BuildAppOptions = {
  deps: AppDeps;
  logger?: FastifyServerOptions['logger'];
  /** The built SPA to serve; omitted in API-only tests. */
  clientDir?: string;
  /** How long a webhook waits for a locked order before answering 503 (default 5 s). */
  webhookLockTimeoutMs?: number;
  /** main.ts listens before the database answers; until `ready`, tRPC calls and /readyz answer 503. */
  availability?: Availability;
  /** The process's Redis connection (main.ts owns and closes it); omitted, REDIS_URL gets the app one of its own. */
  redis?: Redis;
};

const createCaller = createCallerFactory(appRouter);

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The whole HTTP surface. Tests drive it with app.inject; main.ts makes it listen. */
export async function buildApp(opts: BuildAppOptions) {
  const { deps, logger = false, clientDir, webhookLockTimeoutMs, availability = alwaysReady } = opts;
  const app = Fastify({
    logger,
    trustProxy: trustProxyOption(deps.config.trustProxy),
    // tRPC batches put several procedure names in one path segment.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 256 * 1024,
    // A caller's (or the load balancer's) x-request-id when it looks like one; unique across processes otherwise.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // Shared counters (rate limits), readiness and the queue gauge: on the process's connection (main.ts),
  // or, for an app built alone (tests), on one of its own that closes with it.
  const redis = opts.redis ?? (deps.config.redisUrl ? openRedis(deps.config.redisUrl, 'server') : undefined);
  if (redis && !opts.redis) {
    redis.on('error', (err) => app.log.warn({ error: err.message }, 'redis connection error'));
    app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  }

  const refusals = refusalCache();
  const limits = createCallLimits(deps.config.limits, redis, `${deps.config.notifications.queuePrefix}:limit`);
  await registerSecurityHeaders(app, deps.config.publicUrl);
  await app.register(fastifyCookie);
  await registerTrpc(app, {
    prefix: '/trpc',
    router: appRouter,
    createContext: contextFactory(deps, limits),
    guards: [availabilityGuard(availability), refusals.guard, csrfGuard],
    maxBatchSize: MAX_BATCH_SIZE,
    // The gate's hot call skips the stock handler's Request/Response wrapping (docs/performance.md).
    directRoute: deps.config.trpcScanRoute ? { path: 'checkin.scan', call: (ctx, input) => createCaller(ctx).checkin.scan(input as never) } : undefined,
    // Fastify's two info lines per request cost the hot path; warnings and errors are still logged.
    logLevel: deps.config.logRequests ? undefined : 'warn',
    onError({ error, path, req }) {
      refusals.onError({ error, path, req });
      // The logger's err serializer (logger.ts) keeps the SQL and SQLSTATE of a database error, never its parameters.
      if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'procedure failed');
    },
    onResponse: (procedure, status, seconds) => requestDuration.observe({ procedure, status: String(status) }, seconds),
  });

  const stripe = deps.payments.get('stripe');
  if (isStripeProvider(stripe)) await registerStripeWebhook(app, { deps, stripe, lockTimeoutMs: webhookLockTimeoutMs });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const [database, cache] = await Promise.all([
      withTimeout(deps.db.execute(sql`select 1`), 2000).then(() => 'ok', () => 'unreachable'),
      redis ? withTimeout(redis.ping(), 2000).then(() => 'ok', () => 'unreachable') : Promise.resolve(undefined),
    ]);
    const ok = availability.ready && database === 'ok' && (cache === undefined || cache === 'ok');
    const starting = availability.ready ? {} : { starting: availability.reason ?? 'not ready yet' };
    return reply.code(ok ? 200 : 503).send({ ok, ...starting, database, ...(cache ? { redis: cache } : {}) });
  });
  registerTicketDownloads(app, { deps, limits, availability });
  await registerMetrics(app, deps, redis);
  registerExports(app, deps, limits);
  if (deps.config.loadtest) registerLoadtestProbe(app, deps);

  // What the embedded default "sent" (DATA_DIR/outbox/); never in production.
  if (deps.config.nodeEnv !== 'production') registerDevMailbox(app, deps);
  if (clientDir) await registerClient(app, clientDir);
  return app;
}

/**
 * TRUST_PROXY for Fastify: off, the proxies' addresses, or a hop count. Fastify 5 takes a number but then
 * trusts no hop at all (so every client behind the proxy would share its address and its rate limits);
 * a hop count is the trust function proxy-addr used to build for it: the socket's peer (hop 0) and the
 * entries the next n-1 proxies appended are believed, the client's own leading entries never are.
 */
function trustProxyOption(trust: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}
