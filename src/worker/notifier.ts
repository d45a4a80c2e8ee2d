import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import * as notifications from '../modules/notifications/index.ts';
import { getOrderForMessage } from '../modules/orders/index.ts';
import { ticketEmailExtras } from '../modules/passes/index.ts';
import { offerMessageData } from '../modules/waitlist/index.ts';
import type { Clock } from '../shared/clock.ts';
import { memoryRateLimiter, redisRateLimiter } from '../shared/rate-limit.ts';
import { redisClientName } from '../shared/redis.ts';

/*
 * Composition of the notifications pipeline. It lives outside the modules because it wires orders (the
 * data of a message) and passes (the tickets PDF and calendar entry) into notifications (sending it),
 * which must not import orders.
 */

type PipelineDeps = { db: Db; clock: Clock; config: Config };

export function createNotifier(
  deps: PipelineDeps,
  log: notifications.Log,
  opts: { redis?: Redis; transports?: notifications.Transports } = {},
): notifications.Notifier {
  const c = deps.config.notifications;
  const transports = opts.transports ?? notifications.createTransports(c, deps.config.dataDir);
  const limiters = opts.redis
    ? {
        // Keyed by channel and provider, so every worker sending through the same account shares one budget.
        email: redisRateLimiter(opts.redis, { prefix: `${c.queuePrefix}:ratelimit:email:${transports.email.name}`, max: c.emailPerSecond }),
        sms: redisRateLimiter(opts.redis, { prefix: `${c.queuePrefix}:ratelimit:sms:${transports.sms.name}`, max: c.smsPerSecond }),
      }
    : { email: memoryRateLimiter(c.emailPerSecond), sms: memoryRateLimiter(c.smsPerSecond) };
  return {
    db: deps.db,
    clock: deps.clock,
    transports,
    limiters,
    loadTickets: (orderId) => getOrderForMessage(deps, orderId),
    ticketEmailExtras: (data) => ticketEmailExtras(deps.config.passes, data),
    loadWaitlistOffer: (entryId) => offerMessageData(deps, entryId),
    log,
  };
}

const queueSettings = (c: Config['notifications']) => ({ prefix: c.queuePrefix, maxAttempts: c.maxAttempts, backoffMs: c.backoffMs });

/** Worker side: blocking commands wait for Redis forever instead of failing (BullMQ requires this). */
export const workerRedis = (url: string) => new Redis(url, { connectionName: redisClientName('worker'), maxRetriesPerRequest: null });

/** The worker's relay: while Redis is away, commands fail at once (the outbox keeps the message) instead of piling up. */
export const producerRedis = (url: string) => new Redis(url, { connectionName: redisClientName('worker'), enableOfflineQueue: false, maxRetriesPerRequest: 1 });

export type Stoppable = { stop(): Promise<void> };

/**
 * What a server process runs: with REDIS_URL (and PostgreSQL) the relay — outbox → BullMQ, and
 * `npm run worker` sends; otherwise the in-process dispatcher that sends by itself.
 */
export async function startServerDelivery(deps: PipelineDeps, log: notifications.Log, redis?: Redis): Promise<Stoppable> {
  const c = deps.config.notifications;
  if (!redis || !deps.config.databaseUrl) {
    if (redis) log.warn({}, 'REDIS_URL is ignored with the embedded database (one process only): this server sends by itself');
    warnAboutFileTransports(deps.config, log);
    const dispatcher = notifications.startDispatcher(createNotifier(deps, log), { pollMs: 1000, maxAttempts: c.maxAttempts, backoffMs: c.backoffMs });
    return dispatcher;
  }
  // BullMQ loses jobs to eviction: said at start (the worker says it too), without waiting for Redis.
  void notifications.warnUnlessNoEviction(redis, log);
  return startRelay(deps, redis, log);
}

/** Outbox → BullMQ on `redis` (the server's one connection; the worker's producer); both processes run one. */
function startRelay(deps: PipelineDeps, redis: Redis, log: notifications.Log): Stoppable {
  const queue = notifications.createNotificationQueue(redis, queueSettings(deps.config.notifications));
  queue.on('error', () => {});
  const relay = notifications.startRelay({ db: deps.db, clock: deps.clock, queue, log });
  return {
    async stop() {
      await relay.stop();
      await queue.close();
    },
  };
}

/** The worker's pipeline: `stop()` finishes what can finish; `left()` says what a cut-short stop leaves behind. */
export type WorkerPipeline = Stoppable & { left(): { stage: string; jobsInHand: string[] } };

/** What `npm run worker` runs: BullMQ workers, plus a relay so the outbox drains even with no server up. */
export async function startWorkerProcess(deps: PipelineDeps & { config: Config & { redisUrl: string } }, log: notifications.Log): Promise<WorkerPipeline> {
  const c = deps.config.notifications;
  const redis = workerRedis(deps.config.redisUrl);
  await notifications.warnUnlessNoEviction(redis, log);
  warnAboutFileTransports(deps.config, log);
  const worker = notifications.startQueueWorker(createNotifier(deps, log, { redis }), redis, { prefix: c.queuePrefix, lockDurationMs: c.jobLockMs });
  // The relay's commands must fail while Redis is away (the rows stay in the outbox), which the worker's
  // connection, waiting for Redis without limit as BullMQ requires, cannot do: it has one of its own.
  const producer = producerRedis(deps.config.redisUrl);
  producer.on('error', () => {}); // reconnects by itself; the relay logs what matters
  const relay = startRelay(deps, producer, log);
  let stage = 'running';
  return {
    left: () => ({ stage, jobsInHand: worker.inHand() }),
    async stop() {
      // Both at once: the worker stops taking jobs at once even if the relay's pass waits on the database.
      // worker.close() waits for the jobs in hand, and on this connection (maxRetriesPerRequest: null) every
      // command waits for Redis to come back: with Redis gone it never settles. The caller bounds it.
      stage = 'finishing the jobs in hand and the relay pass';
      await Promise.all([relay.stop(), worker.close()]);
      stage = 'disconnecting';
      producer.disconnect();
      redis.disconnect();
    },
  };
}

function warnAboutFileTransports(config: Config, log: notifications.Log) {
  if (config.nodeEnv !== 'production') return;
  if (!config.notifications.ses) log.warn({}, 'SES_FROM is not set: emails are written to DATA_DIR/outbox/, not sent');
  if (!config.notifications.twilio) log.warn({}, 'Twilio is not configured: SMS are written to DATA_DIR/outbox/, not sent');
}
