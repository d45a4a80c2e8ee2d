import { and, asc, count, desc, eq, gt, inArray, lte, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { newId } from '../../shared/ids.ts';
import type { Channel } from './dto.ts';
import { notificationDeliveries, outboxMessages, type OutboxStatus } from './schema.ts';

export type OutboxRow = typeof outboxMessages.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

export const insertOutboxMessage = (tx: Executor, row: typeof outboxMessages.$inferInsert) => tx.insert(outboxMessages).values(row);

export async function findOutbox(db: Executor, id: string): Promise<OutboxRow | undefined> {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id)).limit(1);
  return row;
}

const open = inArray(outboxMessages.status, ['pending', 'queued']);

/** Counts one more attempt of a message still open and returns the row as it is now. */
export async function bumpAttempts(db: Executor, id: string): Promise<OutboxRow | undefined> {
  const [row] = await db
    .update(outboxMessages)
    .set({ attempts: sql`${outboxMessages.attempts} + 1` })
    .where(and(eq(outboxMessages.id, id), open))
    .returning();
  return row;
}

/** Ends a message: sent, skipped or failed. A message already ended stays as it was. */
export const finishOutbox = (db: Executor, id: string, status: OutboxStatus, now: Date, error: string | null) =>
  db.update(outboxMessages).set({ status, processedAt: now, lastError: error }).where(and(eq(outboxMessages.id, id), open));

export const scheduleRetry = (db: Executor, id: string, at: Date, error: string | null) =>
  db.update(outboxMessages).set({ availableAt: at, lastError: error }).where(and(eq(outboxMessages.id, id), open));

export const noteError = (db: Executor, id: string, error: string) =>
  db.update(outboxMessages).set({ lastError: error }).where(and(eq(outboxMessages.id, id), open));

/** Gives claimed messages back at once (the relay could not reach Redis). */
export const releaseClaims = (db: Executor, ids: string[], now: Date) =>
  db.update(outboxMessages).set({ availableAt: now }).where(and(inArray(outboxMessages.id, ids), open));

/**
 * Takes up to `limit` due messages and pushes their availableAt to `leaseUntil`, so another dispatcher
 * (or this one, after a crash) looks at them again only when the lease ran out. SKIP LOCKED: no waiting.
 */
export async function claimDue(db: Executor, now: Date, leaseUntil: Date, limit: number, statuses: OutboxStatus[]): Promise<string[]> {
  const due = db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(inArray(outboxMessages.status, statuses), lte(outboxMessages.availableAt, now)))
    .orderBy(outboxMessages.availableAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outboxMessages)
    .set({ availableAt: leaseUntil })
    .where(inArray(outboxMessages.id, due))
    .returning({ id: outboxMessages.id });
  return rows.map((r) => r.id);
}

export const markQueued = (db: Executor, ids: string[]) =>
  db.update(outboxMessages).set({ status: 'queued' }).where(and(inArray(outboxMessages.id, ids), eq(outboxMessages.status, 'pending')));

export async function countRecent(db: Executor, type: string, orderId: string, requestedBy: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.type, type),
        sql`${outboxMessages.payload}->>'orderId' = ${orderId}`,
        sql`${outboxMessages.payload}->>'requestedBy' = ${requestedBy}`,
        gt(outboxMessages.createdAt, since),
      ),
    );
  return row?.n ?? 0;
}

export const listFailed = (db: Executor, limit: number) =>
  db.select().from(outboxMessages).where(eq(outboxMessages.status, 'failed')).orderBy(desc(outboxMessages.createdAt)).limit(limit);

export const reopen = (db: Executor, id: string, now: Date) =>
  db
    .update(outboxMessages)
    .set({ status: 'pending', attempts: 0, availableAt: now, processedAt: null, lastError: null })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, 'failed')))
    .returning({ id: outboxMessages.id });

// deliveries ---------------------------------------------------------------

export const deliveriesOf = (db: Executor, outboxIds: string[]) =>
  outboxIds.length === 0 ? Promise.resolve([]) : db.select().from(notificationDeliveries).where(inArray(notificationDeliveries.outboxId, outboxIds));

/** The delivery of this message on this channel, created on first use (unique: a re-run finds the same row). */
export async function ensureDelivery(db: Executor, outboxId: string, channel: Channel, recipient: string, now: Date): Promise<DeliveryRow> {
  await db
    .insert(notificationDeliveries)
    .values({ id: newId(), outboxId, channel, recipient, status: 'pending', createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.outboxId, outboxId), eq(notificationDeliveries.channel, channel)));
  return row!;
}

/** Marks the start of a send; from here until recordSent the outcome is unknown if the process dies. */
export const markSending = (db: Executor, id: string, now: Date) =>
  db
    .update(notificationDeliveries)
    .set({ status: 'sending', attempts: sql`${notificationDeliveries.attempts} + 1`, updatedAt: now })
    .where(and(eq(notificationDeliveries.id, id), ne(notificationDeliveries.status, 'sent')));

/** The provider accepted: its message id is recorded, and from now on this delivery is never sent again. */
export const recordSent = (db: Executor, id: string, transport: string, providerMessageId: string, now: Date) =>
  db
    .update(notificationDeliveries)
    .set({ status: 'sent', transport, providerMessageId, lastError: null, updatedAt: now, sentAt: now })
    .where(eq(notificationDeliveries.id, id));

export const recordError = (db: Executor, id: string, status: 'pending' | 'failed', error: string, now: Date) =>
  db.update(notificationDeliveries).set({ status, lastError: error, updatedAt: now }).where(eq(notificationDeliveries.id, id));

/** When the message gives up, every delivery not sent gives up with it. */
export const failOpenDeliveries = (db: Executor, outboxId: string, error: string, now: Date) =>
  db
    .update(notificationDeliveries)
    .set({ status: 'failed', lastError: sql`coalesce(${notificationDeliveries.lastError}, ${error})`, updatedAt: now })
    .where(and(eq(notificationDeliveries.outboxId, outboxId), or(eq(notificationDeliveries.status, 'pending'), eq(notificationDeliveries.status, 'sending'))));

export const reopenDeliveries = (db: Executor, outboxId: string, now: Date) =>
  db
    .update(notificationDeliveries)
    .set({ status: 'pending', updatedAt: now })
    .where(and(eq(notificationDeliveries.outboxId, outboxId), eq(notificationDeliveries.status, 'failed')));

/** Messages written but not yet handed to the queue: the outbox depth (for /metrics). */
export async function countPending(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outboxMessages).where(eq(outboxMessages.status, 'pending'));
  return row?.n ?? 0;
}

export const outboxOfOrder = (db: Executor, orderId: string) =>
  db.select().from(outboxMessages).where(sql`${outboxMessages.payload}->>'orderId' = ${orderId}`).orderBy(asc(outboxMessages.createdAt)).limit(200);
