import type { Db } from '../../db/client.ts';
import type { CallLimits } from '../../shared/call-limits.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import * as catalog from '../catalog/index.ts';
import type { AdminWaitlistEntry, JoinWaitlistInput, OfferAccess, OfferMessageData, OfferView } from './dto.ts';
import { isOfferToken, offerPageUrl, offerToken } from './offer-token.ts';
import * as repo from './repo.ts';

export type WaitlistDeps = { db: Db; clock: Clock; config: { appSecret?: string; publicUrl: string; waitlistOfferHours: number } };

const MAX_LISTED = 5000;
const isActive = (e: repo.EntryRow) => e.status === 'waiting' || e.status === 'offered';

/**
 * Puts someone on a sold-out ticket type's waiting list. Each sign-up sends email (and SMS) later, so it
 * is counted per address and per email like the other public mutations; one place per email and type.
 */
export async function joinWaitlist(
  deps: WaitlistDeps,
  input: JoinWaitlistInput,
  origin: { ip: string; limits: CallLimits },
): Promise<{ ahead: number }> {
  const email = input.email.toLowerCase();
  await origin.limits.take('waitlistJoinsPerIp', origin.ip);
  await origin.limits.take('waitlistJoinsPerEmail', email);
  const now = deps.clock();
  const type = await catalog.findTicketType(deps.db, input.ticketTypeId);
  if (type.hidden) throw new AppError('NOT_FOUND', 'No such ticket type');
  const event = await catalog.getSaleEvent(deps.db, type.eventId, now);
  catalog.assertSmsAllowed(event, input.phone, 'phone');
  if (input.quantity > event.maxTicketsPerOrder) {
    throw new AppError('VALIDATION', `At most ${event.maxTicketsPerOrder} tickets per order for this event`, { field: 'quantity' });
  }
  const available = (await catalog.getPublicEvent(deps.db, event.id, now)).ticketTypes.find((t) => t.id === type.id)?.available ?? null;
  const line = (await repo.entriesOfEvent(deps.db, event.id, MAX_LISTED)).filter((e) => e.ticketTypeId === type.id && isActive(e));
  if ((available === null || available >= input.quantity) && line.length === 0) {
    throw new AppError('CONFLICT', 'These tickets are on sale right now: buy them instead of waiting', { field: 'quantity' });
  }
  const inserted = await repo.insertEntry(deps.db, {
    id: newId(),
    eventId: event.id,
    ticketTypeId: type.id,
    name: input.name,
    email,
    phone: input.phone ?? null,
    quantity: input.quantity,
    status: 'waiting',
    offerHours: deps.config.waitlistOfferHours,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) throw new AppError('CONFLICT', 'This email is already on the waiting list for these tickets', { field: 'email' });
  return { ahead: line.length };
}

/** The offer page: what is held for this person and until when. NOT_FOUND for a wrong link. */
export async function getOffer(deps: WaitlistDeps, access: OfferAccess): Promise<OfferView> {
  const entry = await repo.findEntry(deps.db, access.entryId);
  if (!entry || !isOfferToken(deps.config.appSecret, access.entryId, access.token)) {
    throw new AppError('NOT_FOUND', 'No offer with this link. Check that you copied the whole link.');
  }
  const [type, event] = await Promise.all([catalog.findTicketType(deps.db, entry.ticketTypeId), catalog.getEventInfo(deps.db, entry.eventId)]);
  const lapsed = entry.status === 'offered' && entry.offerExpiresAt !== null && entry.offerExpiresAt <= deps.clock();
  return {
    status: lapsed ? 'lapsed' : entry.status,
    eventId: entry.eventId,
    ticketTypeId: entry.ticketTypeId,
    ticketTypeName: type.name,
    eventName: event.name,
    priceCents: type.priceCents,
    currency: event.currency,
    quantity: entry.quantity,
    name: entry.name,
    email: entry.email,
    expiresAt: entry.offerExpiresAt?.toISOString() ?? null,
    timeZone: event.timeZone,
  };
}

/** The organizer's view: every entry of the event in line order, with each active one's place in its line. */
export async function listWaitlist(db: Db, eventId: string): Promise<AdminWaitlistEntry[]> {
  const [entries, types] = await Promise.all([repo.entriesOfEvent(db, eventId, MAX_LISTED), catalog.ticketTypesOf(db, eventId)]);
  const names = new Map(types.map((t) => [t.id, t.name]));
  const places = new Map<string, number>();
  return entries.map((e) => {
    const position = isActive(e) ? (places.get(e.ticketTypeId) ?? 0) + 1 : null;
    if (position) places.set(e.ticketTypeId, position);
    return {
      id: e.id,
      position,
      ticketTypeId: e.ticketTypeId,
      ticketTypeName: names.get(e.ticketTypeId) ?? '?',
      name: e.name,
      email: e.email,
      phone: e.phone,
      quantity: e.quantity,
      status: e.status,
      joinedAt: e.createdAt.toISOString(),
      offeredAt: e.offeredAt?.toISOString() ?? null,
      offerExpiresAt: e.offerExpiresAt?.toISOString() ?? null,
    };
  });
}

/** What an offer message is rendered from; null once the offer is no longer open (nothing to send). */
export async function offerMessageData(deps: Pick<WaitlistDeps, 'db' | 'config'>, entryId: string): Promise<OfferMessageData | null> {
  const entry = await repo.findEntry(deps.db, entryId);
  if (!entry || entry.status !== 'offered' || !entry.offerExpiresAt) return null;
  if (!deps.config.appSecret) throw new Error('APP_SECRET is not set: offer links cannot be signed');
  const [type, event] = await Promise.all([catalog.findTicketType(deps.db, entry.ticketTypeId), catalog.getEventInfo(deps.db, entry.eventId)]);
  return {
    customer: { name: entry.name, email: entry.email, phone: entry.phone },
    event: { name: event.name, startsAt: event.startsAt, timeZone: event.timeZone, venue: event.venue },
    ticketTypeName: type.name,
    quantity: entry.quantity,
    expiresAt: entry.offerExpiresAt.toISOString(),
    link: offerPageUrl(deps.config.publicUrl, entry.id, offerToken(deps.config.appSecret, entry.id)),
  };
}
