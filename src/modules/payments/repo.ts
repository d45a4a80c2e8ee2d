import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import type { PaymentStatus } from './dto.ts';
import { payments } from './schema.ts';

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

export const setProviderRef = (db: Executor, id: string, providerRef: string, now: Date) =>
  db.update(payments).set({ providerRef, status: 'pending', updatedAt: now }).where(eq(payments.id, id));
