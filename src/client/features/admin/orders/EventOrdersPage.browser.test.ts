import { afterAll, beforeAll, expect, it } from 'vitest';
import { getOrder, placeOrder } from '../../../../modules/orders/index.ts';
import { completeTestPayment } from '../../../../modules/orders/service.ts';
import { userCaller } from '../../../../testing/app.ts';
import { signInThroughForm, startBrowserApp, type BrowserApp } from '../../../../testing/browser.ts';
import { createTestEvent, customer } from '../../../../testing/fixtures.ts';

let t: BrowserApp;

beforeAll(async () => {
  t = await startBrowserApp();
});
afterAll(() => t?.close());

it('an admin sees the event’s orders and refunds a paid one in Chromium', async () => {
  const { deps, base } = t;
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 2500, capacity: 5 }] });
  const placed = await placeOrder(deps, { eventId, customer: customer(7), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
  await completeTestPayment(deps, { ...placed, action: 'pay' });
  const { code } = await getOrder(deps, placed);
  const admin = await userCaller(deps, 'admin');

  const page = await t.browser.context.newPage();
  await signInThroughForm(page, base, admin.email, admin.password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();

  await page.goto(`${base}/admin/events/${eventId}/orders`);
  const row = page.locator('tr', { hasText: code });
  await row.getByText('paid', { exact: true }).waitFor();
  await expect(row.textContent()).resolves.toContain('customer7@example.com');
  page.once('dialog', (dialog) => void dialog.accept('venue closed'));
  await row.getByRole('button', { name: 'Refund' }).click();
  await row.getByText('cancelled', { exact: true }).waitFor();
  expect(await row.getByRole('button', { name: 'Refund' }).count()).toBe(0);
  expect((await getOrder(deps, placed)).status).toBe('cancelled');
});
