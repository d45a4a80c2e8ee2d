import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { SALT_IN_TEXT } from '../../shared/ticket-qr.ts';
import type { Executor } from '../../shared/tx.ts';
import { ticketAddOns, tickets, ticketSeries } from './schema.ts';
import { cursorTime } from '../../shared/search.ts';

export type TicketRow = typeof tickets.$inferSelect;

export async function ensureSeries(db: Executor, row: { eventId: string; publicKey: string; privateKey: string }) {
  await db.insert(ticketSeries).values(row).onConflictDoNothing({ target: ticketSeries.eventId });
}

export async function findSeries(db: Executor, eventId: string) {
  const [row] = await db.select().from(ticketSeries).where(eq(ticketSeries.eventId, eventId)).limit(1);
  return row;
}

/** Counts n more tickets for the event and returns the new total (row-locks the series until commit). */
export async function bumpIssuedCount(tx: Executor, eventId: string, n: number): Promise<number> {
  const [row] = await tx
    .update(ticketSeries)
    .set({ issuedCount: sql`${ticketSeries.issuedCount} + ${n}` })
    .where(eq(ticketSeries.eventId, eventId))
    .returning({ issuedCount: ticketSeries.issuedCount });
  if (!row) throw new Error(`ticket series missing for event ${eventId}`);
  return row.issuedCount;
}

/** Inserts what it can; rows whose code is taken in the event are skipped and their ids left out. */
export async function insertTicketsSkippingCodeClashes(tx: Executor, rows: (typeof tickets.$inferInsert)[]) {
  const inserted = await tx
    .insert(tickets)
    .values(rows)
    .onConflictDoNothing({ target: [tickets.eventId, tickets.code] })
    .returning({ id: tickets.id });
  return new Set(inserted.map((r) => r.id));
}

export const insertTicketAddOns = (tx: Executor, rows: (typeof ticketAddOns.$inferInsert)[]) =>
  rows.length ? tx.insert(ticketAddOns).values(rows) : Promise.resolve();

export const ticketsOfOrder = (db: Executor, orderId: string) =>
  db.select().from(tickets).where(eq(tickets.orderId, orderId)).orderBy(asc(tickets.issuedAt), asc(tickets.code));

export const addOnsOfTickets = (db: Executor, ticketIds: string[]) =>
  ticketIds.length
    ? db.select().from(ticketAddOns).where(inArray(ticketAddOns.ticketId, ticketIds)).orderBy(asc(ticketAddOns.name))
    : Promise.resolve([]);

export async function replaceSecret(
  tx: Executor,
  ticketId: string,
  patch: { secret: string; status?: 'valid' | 'void'; voidedAt?: Date | null; code?: string },
) {
  const [row] = await tx.update(tickets).set(patch).where(eq(tickets.id, ticketId)).returning();
  return row;
}

/** valid → void with a new secret, as one conditional write; the row when this call voided it. */
export async function voidIfValid(tx: Executor, ticketId: string, secret: string, now: Date) {
  const [row] = await tx
    .update(tickets)
    .set({ secret, status: 'void', voidedAt: now })
    .where(and(eq(tickets.id, ticketId), eq(tickets.status, 'valid')))
    .returning({ id: tickets.id });
  return row;
}

export async function setAttendeeName(db: Executor, orderId: string, ticketId: string, name: string): Promise<boolean> {
  const rows = await db
    .update(tickets)
    .set({ attendeeName: name })
    .where(and(eq(tickets.id, ticketId), eq(tickets.orderId, orderId)))
    .returning({ id: tickets.id });
  return rows.length === 1;
}

export const validTicketIdsOfOrder = async (db: Executor, orderId: string) =>
  (
    await db
      .select({ id: tickets.id, eventId: tickets.eventId })
      .from(tickets)
      .where(and(eq(tickets.orderId, orderId), eq(tickets.status, 'valid')))
  );

/*
 * What the gate (the checkin module) may read of this module's tables, and nothing more.
 *
 * A QR scan must cost one database round trip: look the ticket up, claim its check-in, log the
 * attempt. That is one SQL statement spanning two modules' tables. Rather than let checkin name our
 * tables, this module hands out the lookup as an SQL fragment with a fixed column contract; checkin
 * composes it into its statement as a CTE. Our schema stays ours; the contract is the column list.
 */

/**
 * SELECT of at most one ticket with the columns: id, event_id, ticket_type_id, status ('valid'|'void'),
 * secret, code, ticket_type_name, attendee_name, add_ons (json array of { id, name, quantity } by name).
 * One index probe: the primary key, or (event_id, code). The values are SQL expressions: the gate
 * looks up each attempt of a batched statement by its own columns (checkin/scan-repo.ts).
 */
export function gateTicketQuery(by: { ticketId: SQL } | { eventId: SQL; code: SQL }): SQL {
  const where =
    'ticketId' in by
      ? sql`${tickets.id} = ${by.ticketId}::uuid`
      : sql`${tickets.eventId} = ${by.eventId}::uuid AND ${tickets.code} = ${by.code}::text`;
  return sql`SELECT ${tickets.id} AS id, ${tickets.eventId} AS event_id, ${tickets.ticketTypeId} AS ticket_type_id,
      ${tickets.status} AS status, ${tickets.secret} AS secret, ${tickets.code} AS code,
      ${tickets.ticketTypeName} AS ticket_type_name, ${tickets.attendeeName} AS attendee_name,
      COALESCE((SELECT json_agg(json_build_object('id', ${ticketAddOns.addOnId}, 'name', ${ticketAddOns.name},
                 'quantity', ${ticketAddOns.quantity}) ORDER BY ${ticketAddOns.name})
                FROM ${ticketAddOns} WHERE ${ticketAddOns.ticketId} = ${tickets.id}), '[]'::json) AS add_ons
    FROM ${tickets} WHERE ${where}`;
}

/**
 * SELECT of one add-on of one ticket with the columns: ticket_id, add_on_id, event_id, status, name, quantity.
 * Empty when the ticket does not carry that add-on.
 */
export function gateAddOnQuery(ticketId: string, addOnId: string): SQL {
  return sql`SELECT ${ticketAddOns.ticketId} AS ticket_id, ${ticketAddOns.addOnId} AS add_on_id,
      ${tickets.eventId} AS event_id, ${tickets.status} AS status, ${ticketAddOns.name} AS name,
      ${ticketAddOns.quantity} AS quantity
    FROM ${ticketAddOns} JOIN ${tickets} ON ${tickets.id} = ${ticketAddOns.ticketId}
    WHERE ${ticketAddOns.ticketId} = ${ticketId}::uuid AND ${ticketAddOns.addOnId} = ${addOnId}::uuid`;
}

/** Valid tickets of an event per ticket type: the "total" a gate counts against. */
export async function validTicketCounts(db: Executor, eventId: string) {
  return db
    .select({ ticketTypeId: tickets.ticketTypeId, ticketTypeName: tickets.ticketTypeName, total: count() })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), eq(tickets.status, 'valid')))
    .groupBy(tickets.ticketTypeId, tickets.ticketTypeName)
    .orderBy(asc(tickets.ticketTypeName));
}

/**
 * SELECT of the ids of an event's tickets written by transaction `sinceXid` or later (see the change
 * tracking note in migration 0600): one range scan of (event_id, change_xid).
 */
export function changedTicketIdsQuery(eventId: string, sinceXid: string): SQL {
  return sql`SELECT ${tickets.id} AS id FROM ${tickets}
    WHERE ${tickets.eventId} = ${eventId}::uuid AND ${tickets.changeXid} >= ${sinceXid}::bigint`;
}

// saltOfSecret (src/shared/ticket-qr.ts) in SQL: the salt's substring in whichever layout the secret has.
const { compact, legacy } = SALT_IN_TEXT;
const literal = (n: number) => sql.raw(String(n));
const saltOfSecretSql = sql`CASE WHEN length(${tickets.secret}) = ${literal(compact.textLength)}
    THEN substr(${tickets.secret}, ${literal(compact.start + 1)}, ${literal(compact.length)})
    ELSE substr(${tickets.secret}, ${literal(legacy.start + 1)}, ${literal(legacy.length)}) END`;

/**
 * SELECT of up to `limit` tickets of an event after `afterId` by id (all of them, or those in `ids`, a
 * one-column SELECT) with the columns an offline scanner keeps: id, code, status, ticket_type_name,
 * attendee_name, qr_salt (src/shared/ticket-qr.ts saltOfSecret: the salt, never the secret),
 * add_ons (json array of { id, name, quantity }). Never the customer's email or phone.
 */
export function gateSnapshotQuery(by: { eventId: string; afterId: string; limit: number; ids?: SQL }): SQL {
  const only = by.ids ? sql`AND ${tickets.id} IN (${by.ids})` : sql``;
  return sql`SELECT ${tickets.id} AS id, ${tickets.code} AS code, ${tickets.status} AS status,
      ${tickets.ticketTypeName} AS ticket_type_name, ${tickets.attendeeName} AS attendee_name,
      ${saltOfSecretSql} AS qr_salt,
      COALESCE((SELECT json_agg(json_build_object('id', ${ticketAddOns.addOnId}, 'name', ${ticketAddOns.name},
                 'quantity', ${ticketAddOns.quantity}) ORDER BY ${ticketAddOns.name})
                FROM ${ticketAddOns} WHERE ${ticketAddOns.ticketId} = ${tickets.id}), '[]'::json) AS add_ons
    FROM ${tickets}
    WHERE ${tickets.eventId} = ${by.eventId}::uuid AND ${tickets.id} > ${by.afterId}::uuid ${only}
    ORDER BY ${tickets.id} LIMIT ${by.limit}::int`;
}

/** Code and attendee name of some tickets (an organizer's lists). */
export const ticketLabels = (db: Executor, ids: string[]) =>
  ids.length
    ? db.select({ id: tickets.id, code: tickets.code, attendeeName: tickets.attendeeName }).from(tickets).where(inArray(tickets.id, ids))
    : Promise.resolve([]);

/**
 * SELECT order_id of the event's tickets whose code is `code` or whose holder's name matches the
 * prefix query `words` (a to_tsquery text): for the organizer's order search, composed by orders.
 * Index probes: (event_id, code) and the holder-name GIN index.
 */
export function orderIdsByTicketQuery(eventId: string, match: { code: string | null; words: string | null }): SQL {
  const byCode = match.code ? sql`SELECT ${tickets.orderId} FROM ${tickets} WHERE ${tickets.eventId} = ${eventId}::uuid AND ${tickets.code} = ${match.code}` : null;
  const byName = match.words
    ? sql`SELECT ${tickets.orderId} FROM ${tickets} WHERE to_tsvector('simple', ${tickets.attendeeName}) @@ to_tsquery('simple', ${match.words}) AND ${tickets.eventId} = ${eventId}::uuid`
    : null;
  if (byCode && byName) return sql`${byCode} UNION ${byName}`;
  return byCode ?? byName ?? sql`SELECT NULL::uuid WHERE false`;
}

/** One page of an event's tickets in issue order, optionally by code or holder-name prefix query; keyset after (issued_at text, id). */
export function searchTickets(db: Executor, s: { eventId: string; code: string | null; words: string | null; after: [string, string] | null; limit: number }) {
  return db
    .select({ row: tickets, cursorAt: cursorTime(tickets.issuedAt) })
    .from(tickets)
    .where(
      and(
        eq(tickets.eventId, s.eventId),
        s.code ? eq(tickets.code, s.code) : undefined,
        s.words ? sql`to_tsvector('simple', ${tickets.attendeeName}) @@ to_tsquery('simple', ${s.words})` : undefined,
        s.after ? sql`(${tickets.issuedAt}, ${tickets.id}) > (${s.after[0]}::timestamptz, ${s.after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(tickets.issuedAt), asc(tickets.id))
    .limit(s.limit);
}
