import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import type { Executor, Tx } from '../../shared/tx.ts';
import * as catalog from '../catalog/index.ts';
import * as notifications from '../notifications/index.ts';
import { isOfferToken } from './offer-token.ts';
import * as repo from './repo.ts';

/*
 * Offers. Everything that moves a line happens under the ticket type's row lock (catalog.lockFreeSeats),
 * the same lock every sale of that type takes, and before any waiting-list row is written: so two
 * processes freeing seats at once offer each seat once, in line order, and the lock order (ticket types,
 * then vouchers or waiting-list rows) is the same everywhere.
 */

// More than one call of work per type would only delay the transaction that freed the seats.
const OFFERS_PER_PASS = 50;

/**
 * Offers the free seats of these ticket types to the people waiting, first in line first: lapses run-out
 * offers (their holds expired with them), then holds seats for each next entry while they fit and queues
 * its offer message. The line is strict: when the first in line wants more seats than are free, nobody
 * behind them jumps ahead. Call inside the transaction that freed the seats.
 */
export async function offerFreedSeats(tx: Tx, ticketTypeIds: string[], now: Date): Promise<number> {
  let offered = 0;
  for (const typeId of [...new Set(ticketTypeIds)].sort()) {
    if (!(await repo.hasActive(tx, typeId))) continue;
    let free = await catalog.lockFreeSeats(tx, typeId, now);
    await repo.lapseOverdueOffers(tx, typeId, now);
    for (const entry of await repo.waitingInLine(tx, typeId, OFFERS_PER_PASS)) {
      if (free !== null && entry.quantity > free) break;
      const expiresAt = new Date(now.getTime() + entry.offerHours * 3600_000);
      await catalog.holdForOffer(tx, entry.id, typeId, entry.quantity, expiresAt, now);
      await repo.markOffered(tx, entry.id, now, expiresAt);
      await notifications.enqueue(tx, { type: 'waitlist.offer', payload: { entryId: entry.id } }, now);
      if (free !== null) free -= entry.quantity;
      offered++;
    }
  }
  return offered;
}

/**
 * An event called off: nobody waits any more. Seats held for open offers go back (ticket types locked
 * first, by releaseHolds, then the entries: the one lock order), so the refunds that follow offer nothing.
 */
export async function closeWaitlistsOfEvent(db: Db, eventId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const entries = await repo.activeEntriesOfEvent(tx, eventId);
    for (const entry of entries) if (entry.status === 'offered') await catalog.releaseHolds(tx, entry.id, now);
    await repo.markRemoved(tx, entries.map((e) => e.id), now);
  });
}

/** offerFreedSeats in a transaction of its own, opened only when someone waits for one of these types. */
export async function offerWaitingSeats(db: Db, ticketTypeIds: string[], now: Date): Promise<number> {
  const waited: string[] = [];
  for (const id of new Set(ticketTypeIds)) if (await repo.hasActive(db, id)) waited.push(id);
  return waited.length === 0 ? 0 : db.transaction((tx) => offerFreedSeats(tx, waited, now));
}

/**
 * The periodic pass: lines whose offers ran out, or whose seats came back where no order did it (an
 * expired hold reclaimed in passing, a raised capacity). One transaction per ticket type.
 */
export async function sweepWaitlists(db: Db, now: Date, limit = 200): Promise<number> {
  let offered = 0;
  for (const typeId of await repo.typesToSweep(db, now, limit)) {
    offered += await db.transaction((tx) => offerFreedSeats(tx, [typeId], now));
  }
  return offered;
}

export type ClaimableOffer = { entryId: string; ticketTypeId: string; quantity: number };

/** The live offer behind an offer link; OFFER_EXPIRED once it lapsed or was used, NOT_FOUND for a wrong link. */
export async function offerForOrder(db: Executor, appSecret: string | undefined, access: { entryId: string; token: string }, now: Date): Promise<ClaimableOffer> {
  const entry = await repo.findEntry(db, access.entryId);
  if (!entry || !isOfferToken(appSecret, access.entryId, access.token)) {
    throw new AppError('NOT_FOUND', 'No offer with this link. Check that you copied the whole link.');
  }
  if (entry.status !== 'offered' || !entry.offerExpiresAt || entry.offerExpiresAt <= now) {
    throw new AppError('OFFER_EXPIRED', 'This offer is no longer open: it ran out or was already used.');
  }
  return { entryId: entry.id, ticketTypeId: entry.ticketTypeId, quantity: entry.quantity };
}

/**
 * The order placed through an offer took its held seats (catalog.reserve with takeOver, which locked the
 * type first): the entry is claimed, once. Seats the order did not want go to the next in line.
 */
export async function claimOffer(tx: Tx, offer: ClaimableOffer, orderId: string, bought: number, now: Date): Promise<void> {
  if (!(await repo.markClaimed(tx, offer.entryId, orderId, now))) {
    throw new AppError('OFFER_EXPIRED', 'This offer is no longer open: it ran out or was already used.');
  }
  if (bought < offer.quantity) await offerFreedSeats(tx, [offer.ticketTypeId], now);
}
