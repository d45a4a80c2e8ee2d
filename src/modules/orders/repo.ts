import { and, asc, count, desc, eq, gt, inArray, lte, notInArray, sql, sum, type SQL } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import type { Executor } from '../../shared/tx.ts';
import { orderLines, orders, orderStatusChanges, type OrderStatus } from './schema.ts';
import { cursorTime } from '../../shared/search.ts';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;

type NewLine = Omit<typeof orderLines.$inferSelect, 'orderId'>;

/**
 * A new order with its lines and its first history entry, in one statement (one round trip for a use case
 * that runs on every sale). Writes nothing when the human order code is taken: false, and the caller draws
 * another. The lines and the history row are inserted only for the order row that was inserted.
 */
export async function insertNewOrder(tx: Executor, order: OrderRow, lines: NewLine[], created: { actor: string; at: Date }): Promise<boolean> {
  const inserted = tx.insert(orders).values(order).onConflictDoNothing({ target: orders.code }).returning({ id: orders.id });
  const result = await tx.execute(sql`
    WITH o AS (${inserted.getSQL()}),
    l AS (
      INSERT INTO ${orderLines} (id, order_id, position, ticket_type_id, ticket_type_name, unit_price_cents, quantity, add_ons, attendee_names)
      SELECT x.id, o.id, x.position, x.ticket_type_id, x.ticket_type_name, x.unit_price_cents, x.quantity, x.add_ons, x.attendee_names
      FROM o, jsonb_to_recordset(${JSON.stringify(lines.map(lineRecord))}::jsonb)
        AS x(id uuid, position int, ticket_type_id uuid, ticket_type_name text, unit_price_cents int, quantity int, add_ons jsonb, attendee_names jsonb)
    )
    INSERT INTO ${orderStatusChanges} (id, order_id, from_status, to_status, actor, at)
    SELECT ${newId()}::uuid, o.id, NULL, ${order.status}, ${created.actor}, ${created.at.toISOString()}::timestamptz FROM o
    RETURNING order_id`);
  return (result as unknown as { rows: unknown[] }).rows.length === 1;
}

const lineRecord = (l: NewLine) => ({
  id: l.id,
  position: l.position,
  ticket_type_id: l.ticketTypeId,
  ticket_type_name: l.ticketTypeName,
  unit_price_cents: l.unitPriceCents,
  quantity: l.quantity,
  add_ons: l.addOns,
  attendee_names: l.attendeeNames,
});

export async function findOrder(db: Executor, id: string, opts: { lock?: boolean } = {}): Promise<OrderRow | undefined> {
  const q = db.select().from(orders).where(eq(orders.id, id)).limit(1);
  const [row] = opts.lock ? await q.for('update') : await q;
  return row;
}

export const linesOf = (db: Executor, orderId: string) =>
  db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.position));

/** Moves the order from `from` to `to` and records who and why; returns false if it was not in `from`. */
export async function changeStatus(
  tx: Executor,
  change: { orderId: string; from: OrderStatus; to: OrderStatus; actor: string; reason?: string; at: Date },
): Promise<boolean> {
  const closes = change.to === 'expired' || change.to === 'cancelled';
  // Paid again after a close (a dispute the organizer won): open once more.
  const pays = change.to === 'paid' ? { paidAt: change.at, closedAt: null } : {};
  const updated = await tx
    .update(orders)
    .set({ status: change.to, ...pays, ...(closes ? { closedAt: change.at } : {}) })
    .where(and(eq(orders.id, change.orderId), eq(orders.status, change.from)))
    .returning({ id: orders.id });
  if (updated.length === 0) return false;
  await tx.insert(orderStatusChanges).values({
    id: newId(),
    orderId: change.orderId,
    fromStatus: change.from,
    toStatus: change.to,
    actor: change.actor,
    reason: change.reason ?? null,
    at: change.at,
  });
  return true;
}

type AttentionChange = { orderId: string; status: OrderStatus; actor: string; reason: string; at: Date };

/** Marks an order for the organizer's attention, recorded like a status change (same status, who, why). */
export const flagAttention = (tx: Executor, flag: AttentionChange) => setAttention(tx, flag, flag.reason);

/** The organizer dealt with it (e.g. refunded): the flag goes, the record says who and how. */
export const resolveAttention = (tx: Executor, change: AttentionChange) => setAttention(tx, change, null);

async function setAttention(tx: Executor, flag: AttentionChange, attention: string | null) {
  await tx.update(orders).set({ attention }).where(eq(orders.id, flag.orderId));
  await tx.insert(orderStatusChanges).values({
    id: newId(),
    orderId: flag.orderId,
    fromStatus: flag.status,
    toStatus: flag.status,
    actor: flag.actor,
    reason: flag.reason,
    at: flag.at,
  });
}

export async function overduePendingIds(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lte(orders.expiresAt, now)))
    .orderBy(asc(orders.expiresAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** An event's orders, newest first, for the organizer. */
export const ordersOfEvent = (db: Executor, eventId: string, limit: number) =>
  db.select().from(orders).where(eq(orders.eventId, eventId)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit);

/** How many orders are in each status (for /metrics), leaving out the orders of `excludedEventIds`. */
export const countByStatus = (db: Executor, excludedEventIds: string[] = []) =>
  db
    .select({ status: orders.status, count: count() })
    .from(orders)
    .where(excludedEventIds.length ? notInArray(orders.eventId, excludedEventIds) : undefined)
    .groupBy(orders.status);

/** Serializes, until commit, the transactions that hold seats for one buyer key (email or origin). */
export async function lockHolder(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** Tickets held right now by an event's pending orders of one email or one origin. */
export async function pendingTicketsOf(
  tx: Executor,
  eventId: string,
  holder: { customerEmail: string } | { originHash: string },
  now: Date,
): Promise<number> {
  const byHolder = 'customerEmail' in holder ? eq(orders.customerEmail, holder.customerEmail) : eq(orders.originHash, holder.originHash);
  const [row] = await tx
    .select({ tickets: sum(orderLines.quantity).mapWith(Number) })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(and(eq(orders.eventId, eventId), eq(orders.status, 'pending'), gt(orders.expiresAt, now), byHolder));
  return row?.tickets ?? 0;
}

/** An entry in the order's history that changes no status (a partial refund, a holder renamed). */
export const recordHistory = (tx: Executor, entry: { orderId: string; status: OrderStatus; actor: string; reason: string; at: Date }) =>
  tx.insert(orderStatusChanges).values({
    id: newId(),
    orderId: entry.orderId,
    fromStatus: entry.status,
    toStatus: entry.status,
    actor: entry.actor,
    reason: entry.reason,
    at: entry.at,
  });

export const historyOf = (db: Executor, orderId: string) =>
  db.select().from(orderStatusChanges).where(eq(orderStatusChanges.orderId, orderId)).orderBy(asc(orderStatusChanges.at));

/** What the organizer's search matches; every part optional. */
export type OrderSearch = {
  eventId: string;
  status?: OrderStatus;
  /** An order code, exactly (upper case). */
  code: string | null;
  /** A to_tsquery prefix query over the buyer's name and email. */
  words: string | null;
  /** Orders holding a ticket that matched (tickets module's fragment). */
  byTicket: SQL | null;
  /** Keyset: only rows strictly after this (created_at text, id) in newest-first order. */
  after: [string, string] | null;
  limit: number;
};

/**
 * One page of an event's orders, newest first. Each way of matching is its own indexed probe (the code's
 * unique index, the name/email GIN index, the ticket fragment), united into a set of ids; the page is
 * then read along (event_id, created_at DESC, id DESC), so a page costs the same on page 1 or page 2,000.
 */
export function searchOrders(db: Executor, s: OrderSearch) {
  const probes: SQL[] = [];
  if (s.code) probes.push(sql`SELECT ${orders.id} FROM ${orders} WHERE ${orders.code} = ${s.code}`);
  if (s.words) {
    probes.push(
      sql`SELECT ${orders.id} FROM ${orders} WHERE to_tsvector('simple', ${orders.customerName} || ' ' || ${orders.customerEmail}) @@ to_tsquery('simple', ${s.words})`,
    );
  }
  if (s.byTicket) probes.push(s.byTicket);
  const searching = s.code !== null || s.words !== null || s.byTicket !== null;
  const matched = probes.length ? sql.join(probes, sql` UNION `) : sql`SELECT NULL::uuid WHERE false`;
  return db
    .select({ row: orders, cursorAt: cursorTime(orders.createdAt) })
    .from(orders)
    .where(
      and(
        eq(orders.eventId, s.eventId),
        s.status ? eq(orders.status, s.status) : undefined,
        searching ? sql`${orders.id} IN (${matched})` : undefined,
        s.after ? sql`(${orders.createdAt}, ${orders.id}) < (${s.after[0]}::timestamptz, ${s.after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(s.limit);
}

export async function codesOf(db: Executor, orderIds: string[]): Promise<Map<string, string>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db.select({ id: orders.id, code: orders.code }).from(orders).where(inArray(orders.id, orderIds));
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** Orders of an event in placement order, `size` after the keyset (created_at text, id): the CSV export's batches. */
export const orderBatch = (db: Executor, eventId: string, after: [string, string] | null, size: number) =>
  db
    .select({ row: orders, cursorAt: cursorTime(orders.createdAt) })
    .from(orders)
    .where(and(eq(orders.eventId, eventId), after ? sql`(${orders.createdAt}, ${orders.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(size);

export const ordersByIds = (db: Executor, ids: string[]) =>
  ids.length ? db.select().from(orders).where(inArray(orders.id, ids)) : Promise.resolve([] as OrderRow[]);

/** Up to `limit` (0: none, just the count) of an event's orders still open (paid or pending), oldest first, and how many there are in all. */
export async function openOrdersOfEvent(db: Executor, eventId: string, limit: number) {
  const open = and(eq(orders.eventId, eventId), inArray(orders.status, ['paid', 'pending']));
  const [rows, [total]] = await Promise.all([
    limit > 0 ? db.select({ id: orders.id, status: orders.status }).from(orders).where(open).orderBy(asc(orders.createdAt), asc(orders.id)).limit(limit) : [],
    db.select({ n: count() }).from(orders).where(open),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Per ticket type of an event: tickets in paid orders and what they brought (ticket plus add-ons, as sold; gross of refunds). */
export const salesByTicketType = (db: Executor, eventId: string) =>
  db
    .select({
      ticketTypeId: orderLines.ticketTypeId,
      sold: sql<number>`sum(${orderLines.quantity})::int`,
      revenueCents: sql<number>`sum(${orderLines.quantity} * (${orderLines.unitPriceCents} + (SELECT coalesce(sum((a->>'unitPriceCents')::int * (a->>'quantity')::int), 0) FROM jsonb_array_elements(${orderLines.addOns}) a)))::bigint`,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orders.eventId, eventId), eq(orders.status, 'paid')))
    .groupBy(orderLines.ticketTypeId);
