import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Tx } from '../../shared/tx.ts';
import type { ItemQuantity } from './dto.ts';
import * as repo from './repo.ts';
import { reserveChange, resizeReserve, shareOfReserve } from './reserves.ts';

/*
 * Capacity accounting. Each ticket type / add-on row carries `taken` (sold + held). Every change to an
 * item's `taken` or to its holds happens under that item's row lock, and locks are always taken in one
 * global order — ticket types before add-ons, each by id — so two orders never deadlock, and only
 * orders that share an item wait for each other.
 */

const KIND_ORDER = { ticket_type: 0, add_on: 1 } as const;
const byLockOrder = (a: { kind: ItemQuantity['kind']; id: string }, b: { kind: ItemQuantity['kind']; id: string }) =>
  KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Sums duplicates (the same add-on on two lines) and sorts into lock order. */
function normalize(items: ItemQuantity[]): ItemQuantity[] {
  const merged = new Map<string, ItemQuantity>();
  for (const it of items) {
    const key = `${it.kind}:${it.id}`;
    const prev = merged.get(key);
    merged.set(key, { ...it, quantity: (prev?.quantity ?? 0) + it.quantity });
  }
  return [...merged.values()].sort(byLockOrder);
}

/** Locks the item and gives back units whose holds ran out, so they count as free at once. */
async function lockAndReclaim(tx: Tx, kind: ItemQuantity['kind'], id: string, now: Date) {
  const row = await repo.lockItem(tx, kind, id);
  if (!row) throw new AppError('NOT_FOUND', `Unknown ${kind === 'ticket_type' ? 'ticket type' : 'add-on'}`, { id });
  // Summed per reserve: the holds are already expired, so the pool's usage has dropped by all of them at once.
  const byPool = new Map<string | null, { quantity: number; poolId: string | null; fromReserve: number }>();
  for (const h of await repo.expireOverdueHolds(tx, id, now)) {
    const sum = byPool.get(h.poolId) ?? { quantity: 0, poolId: h.poolId, fromReserve: 0 };
    byPool.set(h.poolId, { ...sum, quantity: sum.quantity + h.quantity, fromReserve: sum.fromReserve + h.fromReserve });
  }
  for (const freed of byPool.values()) await giveBack(tx, kind, id, freed, true);
  return row;
}

/** A hold's units leave `taken`; those it drew from a voucher's reserve go back to that reserve. */
async function giveBack(
  tx: Tx,
  kind: ItemQuantity['kind'],
  id: string,
  hold: { quantity: number; poolId: string | null; fromReserve: number },
  applied: boolean,
) {
  const toReserve = await reserveChange(tx, hold.poolId, id, -hold.fromReserve, applied);
  await repo.adjustTaken(tx, kind, id, -hold.quantity, -toReserve);
}

/** Options of reserve(): the voucher whose reserve the order may draw from; an offer's hold it takes over. */
export type ReserveOptions = { poolId?: string; takeOver?: { ownerId: string; ticketTypeId: string } };

/**
 * Holds capacity for a pending order until expiresAt; throws SOLD_OUT (and changes nothing) if any item lacks it.
 *
 * The item's row lock is held from its capacity write until commit, so as little as possible runs after
 * it. An item sold from public stock only (no voucher reserve to draw from, no offer's hold to take over)
 * gets its hold written first — no one else sees it before commit — and is then taken by the one
 * conditional write, which also takes the lock. Only if that write finds no room does the item go the
 * long way: locked, its run-out holds reclaimed, and tried again.
 */
export async function reserve(
  tx: Tx,
  orderId: string,
  items: ItemQuantity[],
  expiresAt: Date,
  now: Date,
  opts: ReserveOptions = {},
): Promise<void> {
  const wanted = normalize(items);
  const holdOf = (it: ItemQuantity, share: number) => ({
    id: newId(),
    orderId,
    itemKind: it.kind,
    itemId: it.id,
    quantity: it.quantity,
    expiresAt,
    status: 'held' as const,
    poolId: share ? opts.poolId : null,
    fromReserve: share,
    createdAt: now,
    updatedAt: now,
  });
  const fromPublicStock = (it: ItemQuantity) => it.kind === 'add_on' || (!opts.poolId && it.id !== opts.takeOver?.ticketTypeId);
  await repo.insertHolds(tx, wanted.filter(fromPublicStock).map((it) => holdOf(it, 0)));
  const later = [];
  for (const item of wanted) {
    const plain = fromPublicStock(item);
    if (plain && (await repo.adjustTaken(tx, item.kind, item.id, item.quantity))) continue;
    const row = await lockAndReclaim(tx, item.kind, item.id, now);
    if (opts.takeOver && item.kind === 'ticket_type' && item.id === opts.takeOver.ticketTypeId) {
      await releaseOfferHold(tx, opts.takeOver.ownerId, item.id, now);
    }
    const share = plain ? 0 : await shareOfReserve(tx, item.kind === 'ticket_type' ? opts.poolId : undefined, item.id, item.quantity);
    if (!(await repo.adjustTaken(tx, item.kind, item.id, item.quantity, share))) {
      throw new AppError('SOLD_OUT', `${row.name} is sold out or has fewer left than requested`, {
        itemKind: item.kind,
        itemId: item.id,
      });
    }
    if (!plain) later.push(holdOf(item, share));
  }
  await repo.insertHolds(tx, later);
}

/**
 * Seats held for a waiting-list offer, until `expiresAt`: a hold like a pending order's (the owner id is
 * the offer's), so nobody else can buy them and expiry returns them like any hold. SOLD_OUT if not free.
 */
export const holdForOffer = (tx: Tx, ownerId: string, ticketTypeId: string, quantity: number, expiresAt: Date, now: Date) =>
  reserve(tx, ownerId, [{ kind: 'ticket_type', id: ticketTypeId, quantity }], expiresAt, now);

/** An order made through an offer: the offer's live hold goes (its seats straight into the order's). */
async function releaseOfferHold(tx: Tx, ownerId: string, ticketTypeId: string, now: Date) {
  const hold = (await repo.holdsOfOrder(tx, ownerId)).find((h) => h.itemId === ticketTypeId && h.status === 'held' && h.expiresAt > now);
  if (!hold) throw new AppError('OFFER_EXPIRED', 'This offer has run out and its tickets went to the next person waiting');
  await giveBack(tx, 'ticket_type', ticketTypeId, hold, false);
  await repo.setHoldStatus(tx, [hold.id], 'released', now);
}

/** Seats of a ticket type the public could buy right now (null: unlimited). Locks the type until commit. */
export async function lockFreeSeats(tx: Tx, ticketTypeId: string, now: Date): Promise<number | null> {
  await lockAndReclaim(tx, 'ticket_type', ticketTypeId, now);
  const row = await repo.capacityOf(tx, ticketTypeId);
  return row.capacity === null ? null : Math.max(0, row.capacity - row.taken - row.reserved);
}

async function lockOrderItems(tx: Tx, orderId: string, now: Date) {
  const initial = await repo.holdsOfOrder(tx, orderId);
  const sorted = initial.map((h) => ({ kind: h.itemKind, id: h.itemId })).sort(byLockOrder);
  for (const item of sorted) await lockAndReclaim(tx, item.kind, item.id, now);
  // Read again under the locks: reclaiming may just have expired this order's own holds.
  return repo.holdsOfOrder(tx, orderId);
}

/**
 * Turns an order's holds into sales. Holds that ran out are taken again if capacity is still there
 * (a late payment); if any cannot be, nothing changes and the result says which item is gone.
 */
export async function commitHolds(
  tx: Tx,
  orderId: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; itemId: string }> {
  try {
    await tx.transaction(async (savepoint) => {
      const current = await lockOrderItems(savepoint, orderId, now);
      for (const hold of current) {
        if (hold.status !== 'expired' && hold.status !== 'released') continue;
        // A late payment draws from the voucher's reserve again only what is left of it.
        const share = -(await reserveChange(savepoint, hold.poolId, hold.itemId, hold.fromReserve));
        if (!(await repo.adjustTaken(savepoint, hold.itemKind, hold.itemId, hold.quantity, share))) {
          throw new AppError('SOLD_OUT', 'Capacity is gone', { itemId: hold.itemId });
        }
        if (share !== hold.fromReserve) await repo.setHoldFromReserve(savepoint, hold.id, share);
      }
      await repo.setHoldStatus(savepoint, current.map((h) => h.id), 'sold', now);
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof AppError && err.code === 'SOLD_OUT') return { ok: false, itemId: String(err.details?.itemId) };
    throw err;
  }
}

/** Gives an order's capacity back (order expired, cancelled or refunded). Safe to call twice. */
export async function releaseHolds(tx: Tx, orderId: string, now: Date, as: 'expired' | 'released' = 'released') {
  const current = await lockOrderItems(tx, orderId, now);
  const live = current.filter((h) => h.status === 'held' || h.status === 'sold');
  for (const hold of live) await giveBack(tx, hold.itemKind, hold.itemId, hold, false);
  await repo.setHoldStatus(tx, live.map((h) => h.id), as, now);
  // Holds that lockOrderItems just reclaimed as expired stay expired; a cancel after expiry is a no-op.
}

/** Holds `quantity` seats of a ticket type back for a voucher's holders (0 gives them all back). */
export async function setReserve(tx: Tx, poolId: string, ticketTypeId: string, quantity: number, now: Date): Promise<void> {
  await lockAndReclaim(tx, 'ticket_type', ticketTypeId, now);
  await resizeReserve(tx, poolId, ticketTypeId, quantity);
}

/**
 * Gives back part of a paid order's capacity (tickets refunded one by one): each item's sold hold shrinks
 * by the units returned, or is released when none stay, so a later full release never returns them twice.
 * Units a voucher holder drew from the voucher's reserve go back to that reserve first.
 */
export async function releaseSoldUnits(tx: Tx, orderId: string, items: ItemQuantity[], now: Date): Promise<void> {
  const returned = normalize(items);
  for (const item of returned) await lockAndReclaim(tx, item.kind, item.id, now);
  const holds = await repo.holdsOfOrder(tx, orderId);
  for (const item of returned) {
    const hold = holds.find((h) => h.itemKind === item.kind && h.itemId === item.id && h.status === 'sold');
    if (!hold) continue;
    const units = Math.min(item.quantity, hold.quantity);
    const fromReserve = Math.min(units, hold.fromReserve);
    await giveBack(tx, item.kind, item.id, { quantity: units, poolId: hold.poolId, fromReserve }, false);
    if (units === hold.quantity) await repo.setHoldStatus(tx, [hold.id], 'released', now);
    else await repo.shrinkHold(tx, hold.id, { quantity: units, fromReserve }, now);
  }
}

/** Locks an item and frees its run-out holds, so `taken` is what is really sold or held (an edit of its capacity needs that). */
export async function reclaimItem(tx: Tx, kind: ItemQuantity['kind'], id: string, now: Date) {
  await lockAndReclaim(tx, kind, id, now);
}
