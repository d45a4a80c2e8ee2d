import type { Db } from '../db/client.ts';
import * as catalog from '../modules/catalog/index.ts';
import { listAllEvents } from '../modules/catalog/service.ts';

/** On a brand-new install, one event to click through: a free and a paid ticket type, and add-ons. */
export async function seedDemoEvent(db: Db, now: Date): Promise<string | null> {
  if ((await listAllEvents(db, now)).length > 0) return null;
  const startsAt = new Date(now.getTime() + 30 * 24 * 3600_000);
  startsAt.setUTCHours(18, 0, 0, 0);
  const { eventId } = await catalog.createEvent(db, {
    name: 'Demo Night: Open Source Live',
    startsAt: startsAt.toISOString(),
    venue: 'Main Hall',
    description: 'A demo event created on first start. Set SEED_DEMO=false to skip it.',
    currency: 'EUR',
  });
  await catalog.createTicketType(db, { eventId, name: 'Community (free)', priceCents: 0, capacity: 100 });
  await catalog.createTicketType(db, { eventId, name: 'Supporter', priceCents: 2500, capacity: 50 });
  await catalog.createAddOn(db, { eventId, name: 'Dinner voucher', priceCents: 1200, capacity: 40, maxPerTicket: 1 });
  await catalog.createAddOn(db, { eventId, name: 'Drink token', priceCents: 400, capacity: null, maxPerTicket: 4 });
  return eventId;
}
