import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { safeErrorMessage } from '../../shared/log-safety.ts';
import { asDeliveryError, giveUp, processOutboxMessage, type Log, type Notifier } from './delivery.ts';
import { pollLoop } from './poll-loop.ts';
import * as repo from './repo.ts';

export const QUEUE_NAME = 'notifications';

/** Jobs carry the outbox id only: no personal data or secrets in Redis. */
type JobData = { outboxId: string };

export type QueueSettings = { prefix: string; maxAttempts: number; backoffMs: number };

/** The producer side (API servers, relay). Its connection must not queue commands while Redis is away. */
export function createNotificationQueue(connection: Redis, s: QueueSettings) {
  return new Queue<JobData>(QUEUE_NAME, {
    connection,
    prefix: s.prefix,
    defaultJobOptions: {
      attempts: s.maxAttempts,
      backoff: { type: 'exponential', delay: s.backoffMs },
      // A completed job id stays an hour, so a late second relay pass is a no-op; the delivery table guards beyond.
      removeOnComplete: { age: 3600 },
      // The final failed state lives in the database (admins see it there); an admin retry re-adds the id.
      removeOnFail: true,
    },
  });
}

/**
 * How many jobs wait to be sent, asked of BullMQ itself (the keys carry QUEUE_PREFIX; prioritized jobs
 * wait too). For /metrics: a read-only handle on the queue over the caller's connection.
 */
export function notificationQueueDepth(connection: Redis, prefix: string) {
  const queue = new Queue<JobData>(QUEUE_NAME, { connection, prefix });
  // Redis being away is reported by the connection's owner; the scrape then just lacks this gauge.
  queue.on('error', () => {});
  return {
    async waiting(): Promise<number> {
      const counts = await queue.getJobCounts('wait', 'prioritized');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
    close: () => queue.close(),
  };
}

/**
 * Moves due outbox rows into the queue (job id = outbox id, so a second pass cannot duplicate) and marks
 * them queued. A queued row comes due again after `requeueAfterMs`: if Redis lost the job (restart without
 * persistence, eviction) it is added again; if the job is still there, adding it again does nothing.
 * While Redis is unreachable the rows simply stay in the outbox.
 */
export function startRelay(opts: { db: Db; clock: Clock; queue: Queue<JobData>; log: Log; intervalMs?: number; requeueAfterMs?: number; batch?: number }) {
  const { db, clock, queue, log } = opts;
  const intervalMs = opts.intervalMs ?? 1000;
  const requeueAfterMs = opts.requeueAfterMs ?? 10 * 60_000;
  const batch = opts.batch ?? 500;
  let redisDown = false;

  async function pass(): Promise<number> {
    const now = clock();
    const ids = await repo.claimDue(db, now, new Date(now.getTime() + requeueAfterMs), batch, ['pending', 'queued']);
    if (ids.length === 0) return 0;
    try {
      await queue.addBulk(ids.map((id) => ({ name: 'deliver', data: { outboxId: id }, opts: { jobId: id } })));
    } catch (err) {
      await repo.releaseClaims(db, ids, clock());
      if (!redisDown) log.warn({ err: safeErrorMessage(err), waiting: ids.length }, 'Redis unreachable: messages stay in the outbox');
      redisDown = true;
      return 0;
    }
    if (redisDown) log.info({}, 'Redis is back: relaying the outbox again');
    redisDown = false;
    await repo.markQueued(db, ids);
    return ids.length;
  }

  return pollLoop({ pass, intervalMs, batch, log, what: 'outbox relay' });
}

/**
 * Processes queued messages with BullMQ's retries and exponential backoff. A permanent error, or the last
 * attempt failing, ends the message as 'failed' in the database (UnrecoverableError: BullMQ stops too).
 * The connection must have maxRetriesPerRequest: null. `inHand()` lists the outbox ids being processed,
 * so a shutdown that cannot wait for them can say which jobs it left in the queue.
 */
export function startQueueWorker(n: Notifier, connection: Redis, s: { prefix: string; concurrency?: number; lockDurationMs?: number }) {
  const inHand = new Set<string>();
  const worker = new Worker<JobData>(
    QUEUE_NAME,
    async (job) => {
      const { outboxId } = job.data;
      inHand.add(outboxId);
      try {
        await processOutboxMessage(n, outboxId);
      } catch (err) {
        const e = asDeliveryError(err);
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (e.permanent || last) {
          await giveUp(n, outboxId, e.message);
          throw new UnrecoverableError(e.message);
        }
        await repo.noteError(n.db, outboxId, e.message);
        n.log.warn({ outboxId, attempt: job.attemptsMade + 1, error: e.message }, 'notification attempt failed; will retry');
        throw e;
      } finally {
        inHand.delete(outboxId);
      }
    },
    {
      connection,
      prefix: s.prefix,
      concurrency: s.concurrency ?? 4,
      // A job whose worker died is noticed (and run again) within about two lock durations.
      lockDuration: s.lockDurationMs ?? 30_000,
      stalledInterval: s.lockDurationMs ?? 30_000,
    },
  );
  // While Redis is away BullMQ reports every reconnect attempt: the same error is logged once a minute.
  let last = { message: '', at: 0 };
  worker.on('error', (err) => {
    const now = Date.now();
    if (err.message === last.message && now - last.at < 60_000) return;
    last = { message: err.message, at: now };
    n.log.error({ err: err.message }, 'notification worker error');
  });
  return Object.assign(worker, { inHand: () => [...inHand] });
}

/** BullMQ loses jobs if Redis evicts keys under memory pressure; say so loudly at start. */
export async function warnUnlessNoEviction(redis: Redis, log: Log): Promise<void> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      log.warn({ policy }, 'Redis maxmemory-policy is not noeviction: queued jobs can be evicted. Set maxmemory-policy noeviction.');
    }
  } catch {
    // Managed Redis often forbids CONFIG; the relay's requeue still recovers lost jobs.
  }
}
