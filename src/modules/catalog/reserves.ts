import { AppError } from '../../shared/errors.ts';
import type { Tx } from '../../shared/tx.ts';
import * as repo from './repo.ts';

/*
 * Reserves: seats of a ticket type held back for one voucher's holders (pool id = voucher id). A pool
 * of P seats whose live holds have drawn U from it keeps max(0, P - U) seats out of public sale; the
 * type's `reserved` column is the sum of that over its pools, so the one conditional capacity write
 * (repo.adjustTaken) keeps the public off them. Every change happens under the type's row lock.
 */

const outstanding = (size: number, used: number) => Math.max(0, size - used);

/**
 * How `reserved` changes when a pool's usage moves by `usageDelta` (a hold drawing from it, or giving
 * back; `applied`: the holds' status already changed). Negative: seats leave the reserve. A pool that is
 * gone (or none) changes nothing.
 */
export async function reserveChange(tx: Tx, poolId: string | null, itemId: string, usageDelta: number, applied = false): Promise<number> {
  if (!poolId || usageDelta === 0) return 0;
  const pool = await repo.findReserve(tx, poolId);
  if (!pool || pool.ticketTypeId !== itemId) return 0;
  const before = (await repo.reserveUsage(tx, poolId, itemId)) - (applied ? usageDelta : 0);
  return outstanding(pool.quantity, before + usageDelta) - outstanding(pool.quantity, before);
}

/** How many of `quantity` seats an order of this pool's holder takes out of the pool (the rest from public sale). */
export async function shareOfReserve(tx: Tx, poolId: string | undefined, itemId: string, quantity: number): Promise<number> {
  if (!poolId) return 0;
  const pool = await repo.findReserve(tx, poolId);
  if (!pool || pool.ticketTypeId !== itemId) return 0;
  return Math.min(quantity, outstanding(pool.quantity, await repo.reserveUsage(tx, poolId, itemId)));
}

/**
 * Sets a pool to `quantity` seats of a ticket type (creating it). Growing it takes seats from public
 * sale and fails with SOLD_OUT (changing nothing) when they are not free; shrinking gives them back.
 * The caller has locked the ticket type (lockAndReclaim).
 */
export async function resizeReserve(tx: Tx, poolId: string, ticketTypeId: string, quantity: number): Promise<void> {
  const pool = await repo.findReserve(tx, poolId);
  if (pool && pool.ticketTypeId !== ticketTypeId) {
    throw new AppError('VALIDATION', 'Reserved seats stay with the ticket type they were reserved on', { field: 'ticketTypeIds' });
  }
  const used = await repo.reserveUsage(tx, poolId, ticketTypeId);
  const change = outstanding(quantity, used) - outstanding(pool?.quantity ?? 0, used);
  if (!(await repo.adjustTaken(tx, 'ticket_type', ticketTypeId, 0, -change))) {
    throw new AppError('SOLD_OUT', 'Not enough unsold seats left to reserve that many', { field: 'reservedQuantity' });
  }
  await repo.saveReserve(tx, { id: poolId, ticketTypeId, quantity });
}
