import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Executor, Tx } from '../../shared/tx.ts';
import type { FailedNotification, OrderNotification, OutboxMessage } from './dto.ts';
import * as repo from './repo.ts';

/** Records a message inside the caller's transaction; it is delivered only if that transaction commits. */
export async function enqueue(tx: Tx, message: OutboxMessage, now: Date): Promise<string> {
  const id = newId();
  await repo.insertOutboxMessage(tx, { id, type: message.type, payload: message.payload, createdAt: now, availableAt: now });
  return id;
}

/**
 * Queues the order's tickets once more. A customer may do so `maxPerHour` times per order; the caller
 * holds the order's row lock, so two requests at once are counted one after the other.
 */
export async function requestTicketsResend(
  tx: Tx,
  input: { orderId: string; requestedBy: 'customer' | 'admin'; maxPerHour?: number },
  now: Date,
): Promise<string> {
  if (input.maxPerHour !== undefined) {
    const since = new Date(now.getTime() - 3600_000);
    const recent = await repo.countRecent(tx, 'order.tickets_resent', input.orderId, input.requestedBy, since);
    if (recent >= input.maxPerHour) {
      throw new AppError('RATE_LIMITED', 'Your tickets were sent again only recently. Please check your inbox and spam folder, or try again in an hour.');
    }
  }
  return enqueue(tx, { type: 'order.tickets_resent', payload: { orderId: input.orderId, requestedBy: input.requestedBy } }, now);
}

/** Messages that gave up, newest first, with what each channel last reported. */
export async function listFailedNotifications(db: Db, limit = 100): Promise<FailedNotification[]> {
  const rows = await repo.listFailed(db, limit);
  const deliveries = await repo.deliveriesOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    outboxId: r.id,
    type: r.type,
    orderId: r.payload.orderId ?? null,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    failedAt: r.processedAt?.toISOString() ?? null,
    deliveries: deliveries
      .filter((d) => d.outboxId === r.id)
      .map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, lastError: d.lastError })),
  }));
}

/** An admin tries a failed message again (e.g. after fixing the provider's configuration). */
export async function retryFailedNotification(db: Db, outboxId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const reopened = await repo.reopen(tx, outboxId, now);
    if (reopened.length === 0) throw new AppError('NOT_FOUND', 'No failed notification with this id');
    await repo.reopenDeliveries(tx, outboxId, now);
  });
}

/** An order's messages and how each was delivered, oldest first (the organizer's order page). */
export async function notificationsOfOrder(db: Executor, orderId: string): Promise<OrderNotification[]> {
  const rows = await repo.outboxOfOrder(db, orderId);
  const deliveries = await repo.deliveriesOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    outboxId: r.id,
    type: r.type,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    deliveries: deliveries
      .filter((d) => d.outboxId === r.id)
      .map((d) => ({ channel: d.channel, recipient: d.recipient, status: d.status, attempts: d.attempts, lastError: d.lastError, sentAt: d.sentAt?.toISOString() ?? null })),
  }));
}
