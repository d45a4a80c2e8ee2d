import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { waitlistEntries, type EntryStatus } from './schema.ts';

export type EntryRow = typeof waitlistEntries.$inferSelect;

const ACTIVE: EntryStatus[] = ['waiting', 'offered'];

/** Inserts unless this email already waits for this type (then false). */
export async function insertEntry(tx: Executor, row: Omit<typeof waitlistEntries.$inferInsert, 'seq'>): Promise<boolean> {
  const rows = await tx.insert(waitlistEntries).values(row).onConflictDoNothing().returning({ id: waitlistEntries.id });
  return rows.length === 1;
}

export async function findEntry(db: Executor, id: string): Promise<EntryRow | undefined> {
  const [row] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, id));
  return row;
}

/** Offers that ran out become lapsed; returns how many. Call under the ticket type's lock. */
export async function lapseOverdueOffers(tx: Executor, ticketTypeId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(waitlistEntries)
    .set({ status: 'lapsed', updatedAt: now })
    .where(and(eq(waitlistEntries.ticketTypeId, ticketTypeId), eq(waitlistEntries.status, 'offered'), lte(waitlistEntries.offerExpiresAt, now)))
    .returning({ id: waitlistEntries.id });
  return rows.length;
}

/** The first `limit` people still waiting for a type, in line order. */
export const waitingInLine = (tx: Executor, ticketTypeId: string, limit: number) =>
  tx
    .select()
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.ticketTypeId, ticketTypeId), eq(waitlistEntries.status, 'waiting')))
    .orderBy(asc(waitlistEntries.seq))
    .limit(limit);

/** waiting → offered (conditional: an entry is offered seats once). */
export async function markOffered(tx: Executor, id: string, now: Date, expiresAt: Date): Promise<boolean> {
  const rows = await tx
    .update(waitlistEntries)
    .set({ status: 'offered', offeredAt: now, offerExpiresAt: expiresAt, updatedAt: now })
    .where(and(eq(waitlistEntries.id, id), eq(waitlistEntries.status, 'waiting')))
    .returning({ id: waitlistEntries.id });
  return rows.length === 1;
}

/** offered → claimed by an order, while the offer runs (conditional: one order per offer). */
export async function markClaimed(tx: Executor, id: string, orderId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(waitlistEntries)
    .set({ status: 'claimed', orderId, updatedAt: now })
    .where(and(eq(waitlistEntries.id, id), eq(waitlistEntries.status, 'offered'), sql`${waitlistEntries.offerExpiresAt} > ${now}`))
    .returning({ id: waitlistEntries.id });
  return rows.length === 1;
}

/** Ticket types whose line may move: someone waits, or an offer ran out. */
export async function typesToSweep(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: waitlistEntries.ticketTypeId })
    .from(waitlistEntries)
    .where(or(eq(waitlistEntries.status, 'waiting'), and(eq(waitlistEntries.status, 'offered'), lte(waitlistEntries.offerExpiresAt, now))))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function hasActive(db: Executor, ticketTypeId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.ticketTypeId, ticketTypeId), inArray(waitlistEntries.status, ACTIVE)))
    .limit(1);
  return !!row;
}

export const entriesOfEvent = (db: Executor, eventId: string, limit: number) =>
  db.select().from(waitlistEntries).where(eq(waitlistEntries.eventId, eventId)).orderBy(asc(waitlistEntries.seq)).limit(limit);

export const activeEntriesOfEvent = (db: Executor, eventId: string) =>
  db
    .select({ id: waitlistEntries.id, status: waitlistEntries.status })
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.eventId, eventId), inArray(waitlistEntries.status, ACTIVE)));

/** waiting/offered → removed (conditional: an entry claimed meanwhile keeps its order). */
export async function markRemoved(tx: Executor, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(waitlistEntries)
    .set({ status: 'removed', updatedAt: now })
    .where(and(inArray(waitlistEntries.id, ids), inArray(waitlistEntries.status, ACTIVE)));
}
