import type { Db } from '../db/client.ts';
import * as catalog from '../modules/catalog/index.ts';

type ItemSpec = { name?: string; priceCents?: number; capacity?: number | null };

/**
 * An event on sale at `now`, starting a week later, with the given ticket types and add-ons.
 * Returns ids in the order given.
 */
export async function createTestEvent(
  db: Db,
  now: Date,
  spec: {
    ticketTypes?: ItemSpec[];
    addOns?: (ItemSpec & { maxPerTicket?: number })[];
    holdMinutes?: number;
    currency?: string;
    /** Tests buy in bulk: 100 (the most an organizer may allow) unless a test is about the cap. */
    maxTicketsPerOrder?: number;
    smsCountries?: string[];
  } = {},
) {
  const { eventId } = await catalog.createEvent(db, {
    name: `Test event ${Math.random().toString(36).slice(2, 8)}`,
    startsAt: new Date(now.getTime() + 7 * 24 * 3600_000).toISOString(),
    currency: spec.currency ?? 'EUR',
    holdMinutes: spec.holdMinutes ?? 15,
    maxTicketsPerOrder: spec.maxTicketsPerOrder ?? 100,
    smsCountries: spec.smsCountries,
  });
  const ticketTypeIds: string[] = [];
  for (const [i, t] of (spec.ticketTypes ?? [{}]).entries()) {
    const { ticketTypeId } = await catalog.createTicketType(db, {
      eventId,
      name: t.name ?? `Type ${i + 1}`,
      priceCents: t.priceCents ?? 0,
      capacity: t.capacity === undefined ? 100 : t.capacity,
    });
    ticketTypeIds.push(ticketTypeId);
  }
  const addOnIds: string[] = [];
  for (const [i, a] of (spec.addOns ?? []).entries()) {
    const { addOnId } = await catalog.createAddOn(db, {
      eventId,
      name: a.name ?? `Add-on ${i + 1}`,
      priceCents: a.priceCents ?? 0,
      capacity: a.capacity ?? null,
      maxPerTicket: a.maxPerTicket,
    });
    addOnIds.push(addOnId);
  }
  return { eventId, ticketTypeIds, addOnIds };
}

export const customer = (n = 1) => ({ name: `Customer ${n}`, email: `customer${n}@example.com` });
