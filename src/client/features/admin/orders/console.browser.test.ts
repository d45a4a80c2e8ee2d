import { afterAll, beforeAll, expect, it } from 'vitest';
import { getOrder, placeOrder } from '../../../../modules/orders/index.ts';
import { completeTestPayment } from '../../../../modules/orders/service.ts';
import { ticketsOfOrder } from '../../../../modules/tickets/index.ts';
import { userCaller } from '../../../../testing/app.ts';
import { signInThroughForm, startBrowserApp, type BrowserApp } from '../../../../testing/browser.ts';
import { createTestEvent, customer } from '../../../../testing/fixtures.ts';

/* The organizer console in Chromium: find an order by a ticket's code, refund one ticket of two. */

let t: BrowserApp;
beforeAll(async () => {
  t = await startBrowserApp();
});
afterAll(() => t?.close());

it('finds an order by ticket code from the Orders tab, refunds one ticket of two; the other stays valid', async () => {
  const { deps, base } = t;
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 2500, capacity: 5 }] });
  for (let i = 0; i < 3; i++) {
    const other = await placeOrder(deps, { eventId, customer: customer(20 + i), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    await completeTestPayment(deps, { ...other, action: 'pay' });
  }
  const placed = await placeOrder(deps, { eventId, customer: customer(7), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
  await completeTestPayment(deps, { ...placed, action: 'pay' });
  const { code } = await getOrder(deps, placed);
  const [first, second] = await ticketsOfOrder(deps.db, placed.orderId);
  const admin = await userCaller(deps, 'admin');

  const page = await t.browser.context.newPage();
  await signInThroughForm(page, base, admin.email, admin.password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`${base}/admin/events/${eventId}`);
  await page.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByRole('heading', { name: 'Orders' }).waitFor();
  await expect.poll(() => page.locator('tbody tr').count()).toBe(4);

  await page.getByRole('searchbox', { name: 'Search orders' }).fill(second!.code);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
  await page.getByRole('link', { name: code }).click();
  await page.getByRole('heading', { name: `Order ${code}` }).waitFor();

  await page.getByRole('checkbox', { name: `Select ticket ${first!.code}` }).check();
  page.once('dialog', (dialog) => void dialog.accept('could not come'));
  await page.getByRole('button', { name: 'Refund selected tickets' }).click();
  await page.getByRole('status').filter({ hasText: 'Refunded €25.00' }).waitFor();
  const tickets = page.getByRole('table', { name: 'Tickets' });
  await expect.poll(() => tickets.locator('tr', { hasText: first!.code }).textContent()).toContain('void');
  await expect(tickets.locator('tr', { hasText: second!.code }).textContent()).resolves.toContain('valid');
  await page.getByText(`voided ${first!.code}`).first().waitFor();

  expect((await ticketsOfOrder(deps.db, placed.orderId)).map((x) => x.status)).toEqual(['void', 'valid']);
  expect((await getOrder(deps, placed)).status).toBe('paid');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.close();
});

it('edits a ticket type’s price on the event page; new orders use it, placed ones keep theirs', async () => {
  const { deps, base } = t;
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ name: 'GA', priceCents: 2500, capacity: 5 }] });
  const before = await placeOrder(deps, { eventId, customer: customer(30), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
  const admin = await userCaller(deps, 'admin');
  const page = await t.browser.context.newPage();
  await signInThroughForm(page, base, admin.email, admin.password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`${base}/admin/events/${eventId}`);
  await page.getByRole('button', { name: 'Edit GA' }).click();
  const form = page.getByRole('form', { name: 'Edit GA' });
  await form.getByLabel('Price').fill('30.00');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('row', { name: /GA/ }).getByText('€30.00').waitFor();

  const after = await placeOrder(deps, { eventId, customer: customer(31), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
  expect((await getOrder(deps, after)).totalCents).toBe(3000);
  expect((await getOrder(deps, before)).totalCents).toBe(2500);
  await page.goto(`${base}/events/${eventId}`);
  await page.getByText('€30.00').first().waitFor();
});
