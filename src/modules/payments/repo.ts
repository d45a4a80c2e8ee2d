import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import type { PaymentStatus } from './dto.ts';
import { paymentProviderEvents, payments, refunds } from './schema.ts';

export type PaymentRow = typeof payments.$inferSelect;

export const insertPayment = (tx: Executor, row: typeof payments.$inferInsert) => tx.insert(payments).values(row);

export async function latestOfOrder(db: Executor, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(desc(payments.createdAt)).limit(1);
  return row;
}

/** Moves a payment on only from one of `from`; returns the row when it moved. */
export async function transition(tx: Executor, id: string, from: PaymentStatus[], to: PaymentStatus, now: Date) {
  const [row] = await tx
    .update(payments)
    .set({ status: to, updatedAt: now })
    .where(and(eq(payments.id, id), inArray(payments.status, from)))
    .returning();
  return row;
}

// Only while the payment is open: a confirmation that raced ahead must not be turned back to pending.
export const setProviderRef = (db: Executor, id: string, providerRef: string, now: Date) =>
  db
    .update(payments)
    .set({ providerRef, status: 'pending', updatedAt: now })
    .where(and(eq(payments.id, id), inArray(payments.status, ['created', 'pending'])));

export const nextAttempt = (db: Executor, id: string, spent: number, now: Date) =>
  db
    .update(payments)
    .set({ checkoutAttempt: spent + 1, checkoutStartedAt: now, updatedAt: now })
    .where(and(eq(payments.id, id), eq(payments.checkoutAttempt, spent), inArray(payments.status, ['created', 'pending'])));

export async function findById(db: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return row;
}

export async function findEvent(db: Executor, provider: string, eventId: string) {
  const [row] = await db
    .select({ outcome: paymentProviderEvents.outcome })
    .from(paymentProviderEvents)
    .where(and(eq(paymentProviderEvents.provider, provider), eq(paymentProviderEvents.eventId, eventId)))
    .limit(1);
  return row;
}

/** False when the event was recorded already (a concurrent redelivery got there first). */
export async function insertEvent(tx: Executor, row: typeof paymentProviderEvents.$inferInsert): Promise<boolean> {
  const inserted = await tx.insert(paymentProviderEvents).values(row).onConflictDoNothing().returning({ id: paymentProviderEvents.eventId });
  return inserted.length === 1;
}

export const paymentsOfOrder = (db: Executor, orderId: string) =>
  db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(asc(payments.createdAt));

/** Records a partial refund once per idempotency key; false when it was recorded already. */
export async function insertRefund(tx: Executor, row: typeof refunds.$inferInsert): Promise<boolean> {
  const inserted = await tx.insert(refunds).values(row).onConflictDoNothing({ target: refunds.idempotencyKey }).returning({ id: refunds.id });
  return inserted.length === 1;
}

export const refundsOfOrder = (db: Executor, orderId: string) =>
  db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.createdAt));

export async function refundedCents(db: Executor, paymentId: string): Promise<number> {
  const [row] = await db.select({ total: sql<number>`coalesce(sum(${refunds.amountCents}), 0)::int` }).from(refunds).where(eq(refunds.paymentId, paymentId));
  return Number(row?.total ?? 0);
}
