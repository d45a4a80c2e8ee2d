import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { voucherRedemptions, vouchers } from './schema.ts';

export type VoucherRow = typeof vouchers.$inferSelect;

/** Inserts the vouchers whose code the event does not have yet; returns the codes that were new. */
export async function insertVouchers(tx: Executor, rows: (typeof vouchers.$inferInsert)[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await tx
    .insert(vouchers)
    .values(rows)
    .onConflictDoNothing({ target: [vouchers.eventId, vouchers.code] })
    .returning({ code: vouchers.code });
  return new Set(inserted.map((r) => r.code));
}

export async function findByCode(db: Executor, eventId: string, code: string): Promise<VoucherRow | undefined> {
  const [row] = await db.select().from(vouchers).where(and(eq(vouchers.eventId, eventId), eq(vouchers.code, code)));
  return row;
}

export async function findById(db: Executor, id: string, opts: { lock?: boolean } = {}): Promise<VoucherRow | undefined> {
  const q = db.select().from(vouchers).where(eq(vouchers.id, id));
  const [row] = opts.lock ? await q.for('update') : await q;
  return row;
}

export const vouchersOfEvent = (db: Executor, eventId: string, limit: number) =>
  db.select().from(vouchers).where(eq(vouchers.eventId, eventId)).orderBy(asc(vouchers.createdAt), asc(vouchers.code)).limit(limit);

export async function updateVoucher(tx: Executor, id: string, patch: Partial<Omit<VoucherRow, 'id' | 'eventId' | 'code' | 'uses'>>) {
  await tx.update(vouchers).set(patch).where(eq(vouchers.id, id));
}

/**
 * uses += n while the voucher has n uses left and (unless `now` is null: a late payment of an order
 * that was valid when placed) is usable at `now`. The exactly-once check is this one conditional write
 * (its row lock orders racing buyers). False: nothing changed.
 */
export async function takeUses(tx: Executor, id: string, n: number, now: Date | null): Promise<boolean> {
  return (await usesTaken(tx, id, n, now)).length === 1;
}

const usesTaken = (tx: Executor, id: string, n: number, now: Date | null) =>
  tx
    .update(vouchers)
    .set({ uses: sql`${vouchers.uses} + ${n}` })
    .where(
      and(
        eq(vouchers.id, id),
        sql`${vouchers.uses} + ${n} <= ${vouchers.maxUses}`,
        now ? eq(vouchers.disabled, false) : undefined,
        now ? sql`(${vouchers.validFrom} IS NULL OR ${vouchers.validFrom} <= ${now})` : undefined,
        now ? sql`(${vouchers.validUntil} IS NULL OR ${now} < ${vouchers.validUntil})` : undefined,
      ),
    )
    .returning({ id: vouchers.id });

/**
 * takeUses at `now` for a new order, and the order's active redemption written by the same statement
 * only if they were taken: one round trip while the order holds its ticket types' locks.
 */
export async function redeemUses(tx: Executor, r: { voucherId: string; orderId: string; uses: number }, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await tx.execute(sql`
    WITH taken AS (${usesTaken(tx, r.voucherId, r.uses, now).getSQL()})
    INSERT INTO ${voucherRedemptions} (order_id, voucher_id, uses, status, created_at, updated_at)
    SELECT ${r.orderId}::uuid, taken.id, ${r.uses}::int, 'active', ${at}::timestamptz, ${at}::timestamptz FROM taken
    RETURNING order_id`);
  return (result as unknown as { rows: unknown[] }).rows.length === 1;
}

export const giveUses = (tx: Executor, id: string, n: number) =>
  tx.update(vouchers).set({ uses: sql`${vouchers.uses} - ${n}` }).where(eq(vouchers.id, id));

/** Moves an order's redemption from one status to the other; the row if it was in `from` (at most once). */
export async function moveRedemption(tx: Executor, orderId: string, from: 'active' | 'returned', to: 'active' | 'returned', now: Date) {
  const [row] = await tx
    .update(voucherRedemptions)
    .set({ status: to, updatedAt: now })
    .where(and(eq(voucherRedemptions.orderId, orderId), eq(voucherRedemptions.status, from)))
    .returning();
  return row;
}
