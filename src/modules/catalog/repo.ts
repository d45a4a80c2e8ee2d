import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { addOns, events, holds, ticketTypes } from './schema.ts';
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

export function listEvents(db: Executor, opts: { publishedOnly: boolean }) {
  return db
    .select()
    .from(events)
    .where(opts.publishedOnly ? eq(events.published, true) : undefined)
    .orderBy(asc(events.startsAt));
}

export async function itemsOf(db: Executor, eventId: string) {
  const [types, extras] = await Promise.all([
    db.select().from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(asc(ticketTypes.position), asc(ticketTypes.createdAt), asc(ticketTypes.id)),
    db.select().from(addOns).where(eq(addOns.eventId, eventId)).orderBy(asc(addOns.position), asc(addOns.createdAt), asc(addOns.id)),
  ]);
  return { ticketTypes: types, addOns: extras };
}

/** Units still counted in `taken` although their hold has run out: given back on read, released on the next write. */
export async function overdueHeldByItem(db: Executor, itemIds: string[], now: Date): Promise<Map<string, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .select({ itemId: holds.itemId, quantity: sql<number>`sum(${holds.quantity})::int` })
    .from(holds)
    .where(and(inArray(holds.itemId, itemIds), eq(holds.status, 'held'), lte(holds.expiresAt, now)))
    .groupBy(holds.itemId);
  return new Map(rows.map((r) => [r.itemId, Number(r.quantity)]));
}

/** Row lock on one capacity pool. Every writer of `taken` or of this item's holds takes it first. */
export async function lockItem(tx: Executor, kind: ItemQuantity['kind'], id: string) {
  const t = tableOf(kind);
  const [row] = await tx.select({ id: t.id, name: t.name }).from(t).where(eq(t.id, id)).for('update');
  return row;
}

/** Marks this item's run-out holds expired and returns how many units that frees. Call under lockItem. */
export async function expireOverdueHolds(tx: Executor, itemId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(holds)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(holds.itemId, itemId), eq(holds.status, 'held'), lte(holds.expiresAt, now)))
    .returning({ quantity: holds.quantity });
  return rows.reduce((sum, r) => sum + r.quantity, 0);
}

/**
 * taken += delta, but only while it stays within capacity: the no-oversell check is this one
 * conditional write. Returns false (nothing changed) when the pool cannot take it.
 */
export async function adjustTaken(tx: Executor, kind: ItemQuantity['kind'], id: string, delta: number): Promise<boolean> {
  if (delta === 0) return true;
  const t = tableOf(kind);
  const rows = await tx
    .update(t)
    .set({ taken: sql`${t.taken} + ${delta}` })
    .where(and(eq(t.id, id), sql`(${t.capacity} IS NULL OR ${t.taken} + ${delta} <= ${t.capacity})`))
    .returning({ id: t.id });
  return rows.length === 1;
}

export const insertHolds = (tx: Executor, rows: (typeof holds.$inferInsert)[]) =>
  rows.length ? tx.insert(holds).values(rows) : Promise.resolve();

export const holdsOfOrder = (db: Executor, orderId: string): Promise<HoldRow[]> =>
  db.select().from(holds).where(eq(holds.orderId, orderId));

export const setHoldStatus = (tx: Executor, holdIds: string[], status: HoldRow['status'], now: Date) =>
  holdIds.length
    ? tx.update(holds).set({ status, updatedAt: now }).where(inArray(holds.id, holdIds))
    : Promise.resolve();

export const shrinkHold = (tx: Executor, holdId: string, by: number, now: Date) =>
  tx.update(holds).set({ quantity: sql`${holds.quantity} - ${by}`, updatedAt: now }).where(eq(holds.id, holdId));

/** The item row locked (kind's table), with what an edit needs. */
export async function lockItemRow(tx: Executor, kind: ItemQuantity['kind'], id: string) {
  const t = tableOf(kind);
  const [row] = await tx.select({ id: t.id, eventId: t.eventId, taken: t.taken }).from(t).where(eq(t.id, id)).for('update');
  return row;
}

/**
 * Applies an edit; a new capacity only while it is at least what is taken (sold + live holds): one
 * conditional write, so a sale racing the edit either lands first (and the edit is refused) or after.
 */
export async function updateItem(
  tx: Executor,
  kind: ItemQuantity['kind'],
  id: string,
  patch: { name?: string; priceCents?: number; capacity?: number | null; hidden?: boolean; position?: number; salesStartAt?: Date | null; salesEndAt?: Date | null },
): Promise<boolean> {
  const t = tableOf(kind);
  const set = kind === 'ticket_type' ? patch : { ...patch, salesStartAt: undefined, salesEndAt: undefined };
  const fits = patch.capacity === undefined || patch.capacity === null ? undefined : sql`${t.taken} <= ${patch.capacity}`;
  const rows = await tx.update(t).set(set).where(and(eq(t.id, id), fits)).returning({ id: t.id });
  return rows.length === 1;
}
