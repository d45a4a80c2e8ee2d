import { asDeliveryError, backoffDelay, giveUp, processOutboxMessage, type Notifier } from './delivery.ts';
import { pollLoop } from './poll-loop.ts';
import * as repo from './repo.ts';

export type DispatcherOptions = { pollMs: number; maxAttempts: number; backoffMs: number; batch?: number; leaseMs?: number };

/**
 * Without Redis: drains the outbox in this process with the same processing as the BullMQ worker. Rows are
 * claimed with a lease (SKIP LOCKED), so several servers on one database share the work, and a message of
 * a server that died comes due again when its lease ends. Retries and backoff live in the outbox row.
 */
export function startDispatcher(n: Notifier, opts: DispatcherOptions) {
  const batch = opts.batch ?? 10;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;

  async function handle(id: string) {
    try {
      await processOutboxMessage(n, id);
    } catch (err) {
      const e = asDeliveryError(err);
      const attempts = (await repo.findOutbox(n.db, id))?.attempts ?? opts.maxAttempts;
      if (e.permanent || attempts >= opts.maxAttempts) return giveUp(n, id, e.message);
      const retryAt = new Date(n.clock().getTime() + backoffDelay(opts.backoffMs, attempts));
      await repo.scheduleRetry(n.db, id, retryAt, e.message);
      n.log.warn({ outboxId: id, attempts, retryAt, error: e.message }, 'notification attempt failed; will retry');
    }
  }

  async function pass(stopped: () => boolean): Promise<number> {
    const now = n.clock();
    const ids = await repo.claimDue(n.db, now, new Date(now.getTime() + leaseMs), batch, ['pending', 'queued']);
    for (const id of ids) {
      if (stopped()) {
        await repo.releaseClaims(n.db, [id], n.clock());
        continue;
      }
      await handle(id);
    }
    return ids.length;
  }

  return pollLoop({ pass, intervalMs: opts.pollMs, batch, log: n.log, what: 'outbox dispatch' });
}
