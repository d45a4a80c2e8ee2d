// The server runs in a zone far from the event's; the browser in a third. Set before anything reads the clock.
process.env.TZ = 'America/Los_Angeles';

import { afterAll, beforeAll, expect, it } from 'vitest';
import * as catalog from '../../../modules/catalog/index.ts';
import { renderTicketsEmail } from '../../../modules/notifications/render.ts';
import { getOrder, getOrderForMessage, placeOrder } from '../../../modules/orders/index.ts';
import { orderPageUrl } from '../../../modules/orders/service.ts';
import { startBrowserApp, type BrowserApp } from '../../../testing/browser.ts';
import { customer } from '../../../testing/fixtures.ts';
import { wallClockToIso } from '../../../shared/time-zone.ts';

/*
 * An event at 19:00 Europe/Berlin is "19:00 CET" (or CEST) in the email and on the order page, whatever
 * zone the server and the browser run in — in the week the clocks change too (2030-03-31, 02:00 → 03:00; the test clock stands at 2030-01-01).
 */

let world: BrowserApp;
beforeAll(async () => {
  world = await startBrowserApp({ timezoneId: 'Asia/Tokyo' });
});
afterAll(async () => {
  await world?.close();
});

async function freeOrderFor(wallClock: string) {
  const { deps } = world;
  const startsAt = wallClockToIso(wallClock, 'Europe/Berlin')!;
  const { eventId } = await catalog.createEvent(deps.db, { name: `Berlin ${wallClock}`, startsAt, timeZone: 'Europe/Berlin', currency: 'EUR' });
  const { ticketTypeId } = await catalog.createTicketType(deps.db, { eventId, name: 'GA', priceCents: 0, capacity: 10 });
  return placeOrder(deps, { eventId, customer: customer(1), lines: [{ ticketTypeId, quantity: 1 }] });
}

it.each([
  ['the Friday before the change', '2030-03-29T19:00', 'Friday, 29 March 2030 at 19:00 CET', 'Fri, 29 Mar 2030, 19:00 CET'],
  ['the Monday after the change', '2030-04-01T19:00', 'Monday, 1 April 2030 at 19:00 CEST', 'Mon, 1 Apr 2030, 19:00 CEST'],
])('%s: 19:00 Berlin in the email and on the order page', async (_when, wallClock, inEmail, onPage) => {
  expect(new Date('2026-03-27T18:00:00Z').getHours()).toBe(11); // the server really is on Pacific time
  const placed = await freeOrderFor(wallClock);
  const view = await getOrder(world.deps, placed);
  expect(view.event.timeZone).toBe('Europe/Berlin');

  const message = await getOrderForMessage(world.deps, placed.orderId);
  const email = await renderTicketsEmail(message!, 'paid');
  expect(email.text).toContain(inEmail);
  expect(email.html).toContain(inEmail);

  const page = await world.browser.context.newPage();
  await page.goto(orderPageUrl(world.base, placed.orderId, placed.token));
  await page.getByRole('heading', { name: 'Your tickets' }).waitFor();
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Tokyo');
  await expect.poll(() => page.locator('time').first().textContent()).toBe(onPage);
  await page.close();
});
