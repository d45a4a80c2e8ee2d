import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { addOns, capacityReserves, events, holds, ticketTypes } from './schema.ts';
import type { ItemQuantity } from './dto.ts';

export type EventRow = typeof events.$inferSelect;
export type TicketTypeRow = typeof ticketTypes.$inferSelect;
export type AddOnRow = typeof addOns.$inferSelect;
export type HoldRow = typeof holds.$inferSelect;

const tableOf = (kind: ItemQuantity['kind']) => (kind === 'ticket_type' ? ticketTypes : addOns);

export const insertEvent = (db: Executor, row: typeof events.$inferInsert) => db.insert(events).values(row);
export const insertTicketType = (db: Executor, row: typeof ticketTypes.$inferInsert) => db.insert(ticketTypes).values(row);
export const insertAddOn = (db: Executor, row: typeof addOns.$inferInsert) => db.insert(addOns).values(row);

export async function findEvent(db: Executor, id: string): Promise<EventRow | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id)).limit(1);
  return row;
}

/** The event row locked for update: concurrent edits of one event apply one after the other. */
export async function lockEvent(tx: Executor, id: string): Promise<EventRow | undefined> {
  const [row] = await tx.select().from(events).where(eq(events.id, id)).for('update');
  return row;
}

export async function updateEvent(db: Executor, id: string, patch: Partial<Omit<typeof events.$inferInsert, 'id'>>) {
  await db.update(events).set(patch).where(eq(events.id, id));
}

/** Events for lists (storefront, admin, scanners): never load-test events, which only the load generator uses. */
export function listEvents(db: Executor, opts: { publishedOnly: boolean }) {
  return db
    .select()
    .from(events)
    .where(and(eq(events.loadTest, false), opts.publishedOnly ? eq(events.published, true) : undefined))
    .orderBy(asc(events.startsAt));
}

export async function itemsOf(db: Executor, eventId: string) {
  const [types, extras] = await Promise.all([
    db.select().from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(asc(ticketTypes.position), asc(ticketTypes.createdAt), asc(ticketTypes.id)),
    db.select().from(addOns).where(eq(addOns.eventId, eventId)).orderBy(asc(addOns.position), asc(addOns.createdAt), asc(addOns.id)),
  ]);
  return { ticketTypes: types, addOns: extras };
}

/**
 * Units still counted in `taken` although their hold has run out: given back on read, released on the
 * next write. `fromReserve` of them go back to a voucher's reserve, not to public sale.
 */
export async function overdueHeldByItem(db: Executor, itemIds: string[], now: Date): Promise<Map<string, { quantity: number; fromReserve: number }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .select({
      itemId: holds.itemId,
      quantity: sql<number>`sum(${holds.quantity})::int`,
      fromReserve: sql<number>`sum(${holds.fromReserve})::int`,
    })
    .from(holds)
    .where(and(inArray(holds.itemId, itemIds), eq(holds.status, 'held'), lte(holds.expiresAt, now)))
    .groupBy(holds.itemId);
  return new Map(rows.map((r) => [r.itemId, { quantity: Number(r.quantity), fromReserve: Number(r.fromReserve) }]));
}

/** Row lock on one capacity pool. Every writer of `taken` or of this item's holds takes it first. */
export async function lockItem(tx: Executor, kind: ItemQuantity['kind'], id: string) {
  const t = tableOf(kind);
  const [row] = await tx.select({ id: t.id, name: t.name }).from(t).where(eq(t.id, id)).for('update');
  return row;
}

/** Marks this item's run-out holds expired and returns them (the units they free). Call under lockItem. */
export function expireOverdueHolds(tx: Executor, itemId: string, now: Date) {
  return tx
    .update(holds)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(holds.itemId, itemId), eq(holds.status, 'held'), lte(holds.expiresAt, now)))
    .returning({ quantity: holds.quantity, poolId: holds.poolId, fromReserve: holds.fromReserve });
}

/**
 * taken += delta and reserved -= fromReserve, but only while taken + reserved stays within capacity
 * (checked when the sum grows): the no-oversell check is this one conditional write, and the seats held
 * back for vouchers are in it, so public sales cannot take them. Returns false (nothing changed) when
 * the pool cannot take it.
 */
export async function adjustTaken(tx: Executor, kind: ItemQuantity['kind'], id: string, delta: number, fromReserve = 0): Promise<boolean> {
  if (delta === 0 && fromReserve === 0) return true;
  const t = tableOf(kind);
  const grows = delta - fromReserve > 0;
  const rows = await tx
    .update(t)
    .set({ taken: sql`${t.taken} + ${delta}`, reserved: sql`${t.reserved} - ${fromReserve}` })
    .where(
      and(
        eq(t.id, id),
        sql`${t.reserved} - ${fromReserve} >= 0`,
        grows ? sql`(${t.capacity} IS NULL OR ${t.taken} + ${t.reserved} + ${delta - fromReserve} <= ${t.capacity})` : undefined,
      ),
    )
    .returning({ id: t.id });
  return rows.length === 1;
}

export type ReserveRow = typeof capacityReserves.$inferSelect;

export async function findReserve(db: Executor, id: string): Promise<ReserveRow | undefined> {
  const [row] = await db.select().from(capacityReserves).where(eq(capacityReserves.id, id));
  return row;
}

export async function saveReserve(tx: Executor, row: { id: string; ticketTypeId: string; quantity: number }) {
  await tx.insert(capacityReserves).values(row).onConflictDoUpdate({ target: capacityReserves.id, set: { quantity: row.quantity } });
}

/** Units of live (held or sold) holds drawn from a reserve. Read under the item's lock. */
export async function reserveUsage(db: Executor, poolId: string, itemId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${holds.fromReserve}), 0)::int` })
    .from(holds)
    .where(and(eq(holds.poolId, poolId), eq(holds.itemId, itemId), inArray(holds.status, ['held', 'sold'])));
  return Number(row?.n ?? 0);
}

export const insertHolds = (tx: Executor, rows: (typeof holds.$inferInsert)[]) =>
  rows.length ? tx.insert(holds).values(rows) : Promise.resolve();

export const holdsOfOrder = (db: Executor, orderId: string): Promise<HoldRow[]> =>
  db.select().from(holds).where(eq(holds.orderId, orderId));

export const setHoldStatus = (tx: Executor, holdIds: string[], status: HoldRow['status'], now: Date) =>
  holdIds.length
    ? tx.update(holds).set({ status, updatedAt: now }).where(inArray(holds.id, holdIds))
    : Promise.resolve();

export const setHoldFromReserve = (tx: Executor, holdId: string, fromReserve: number) =>
  tx.update(holds).set({ fromReserve }).where(eq(holds.id, holdId));

export async function capacityOf(db: Executor, ticketTypeId: string) {
  const [row] = await db
    .select({ capacity: ticketTypes.capacity, taken: ticketTypes.taken, reserved: ticketTypes.reserved })
    .from(ticketTypes)
    .where(eq(ticketTypes.id, ticketTypeId));
  if (!row) throw new Error(`no ticket type ${ticketTypeId}`);
  return row;
}

export async function findTicketType(db: Executor, id: string): Promise<TicketTypeRow | undefined> {
  const [row] = await db.select().from(ticketTypes).where(eq(ticketTypes.id, id));
  return row;
}

/** Takes `by.quantity` units off a hold, `by.fromReserve` of them out of what it drew from a voucher's reserve. */
export const shrinkHold = (tx: Executor, holdId: string, by: { quantity: number; fromReserve: number }, now: Date) =>
  tx
    .update(holds)
    .set({ quantity: sql`${holds.quantity} - ${by.quantity}`, fromReserve: sql`${holds.fromReserve} - ${by.fromReserve}`, updatedAt: now })
    .where(eq(holds.id, holdId));

/** The item row locked (kind's table), with what an edit needs. */
export async function lockItemRow(tx: Executor, kind: ItemQuantity['kind'], id: string) {
  const t = tableOf(kind);
  const [row] = await tx.select({ id: t.id, eventId: t.eventId, taken: t.taken, reserved: t.reserved }).from(t).where(eq(t.id, id)).for('update');
  return row;
}

/**
 * Applies an edit; a new capacity only while it is at least what is taken (sold + live holds) plus what is
 * held back for vouchers: one conditional write, so a sale racing the edit either lands first (and the
 * edit is refused) or after.
 */
export async function updateItem(
  tx: Executor,
  kind: ItemQuantity['kind'],
  id: string,
  patch: { name?: string; priceCents?: number; capacity?: number | null; hidden?: boolean; position?: number; salesStartAt?: Date | null; salesEndAt?: Date | null },
): Promise<boolean> {
  const t = tableOf(kind);
  const set = kind === 'ticket_type' ? patch : { ...patch, salesStartAt: undefined, salesEndAt: undefined };
  const fits = patch.capacity === undefined || patch.capacity === null ? undefined : sql`${t.taken} + ${t.reserved} <= ${patch.capacity}`;
  const rows = await tx.update(t).set(set).where(and(eq(t.id, id), fits)).returning({ id: t.id });
  return rows.length === 1;
}

/** A load-test event stops selling and its key stops working (load-test.ts). */
export const retireLoadTest = (db: Executor, id: string) =>
  db.update(events).set({ published: false, loadTestKeyHash: null }).where(and(eq(events.id, id), eq(events.loadTest, true)));

export async function loadTestEventIds(db: Executor): Promise<string[]> {
  const rows = await db.select({ id: events.id }).from(events).where(eq(events.loadTest, true));
  return rows.map((r) => r.id);
}

/** The live load-test event whose key hashes to `keyHash`. */
export async function eventOfLoadTestKey(db: Executor, keyHash: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(and(isNotNull(events.loadTestKeyHash), eq(events.loadTestKeyHash, keyHash), eq(events.loadTest, true)));
  return row?.id;
}
