import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { ticketAddOns, tickets, ticketSeries } from './schema.ts';

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

export const validTicketIdsOfOrder = async (db: Executor, orderId: string) =>
  (
    await db
      .select({ id: tickets.id, eventId: tickets.eventId })
      .from(tickets)
      .where(and(eq(tickets.orderId, orderId), eq(tickets.status, 'valid')))
  );
