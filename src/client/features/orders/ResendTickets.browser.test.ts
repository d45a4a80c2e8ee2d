import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDispatcher } from '../../../modules/notifications/dispatcher.ts';
import { DeliveryError } from '../../../modules/notifications/transports/types.ts';
import { getOrder, placeOrder } from '../../../modules/orders/index.ts';
import { completeTestPayment, orderPageUrl } from '../../../modules/orders/service.ts';
import { userCaller } from '../../../testing/app.ts';
import { signInThroughForm, startBrowserApp, type BrowserApp } from '../../../testing/browser.ts';
import { createTestEvent, customer } from '../../../testing/fixtures.ts';
import { outboxOf, quietLog, settledOutbox } from '../../../testing/notifications.ts';
import { createNotifier } from '../../../worker/notifier.ts';

/* Sending tickets again, by the customer (rate-limited) and by an admin; failed messages retried by an admin. */

let world: BrowserApp;
beforeAll(async () => {
  world = await startBrowserApp();
});
afterAll(async () => {
  await world?.close();
});

const resentBy = async (orderId: string) =>
  (await outboxOf(world.db.db, orderId)).filter((m) => m.type === 'order.tickets_resent').map((m) => m.payload.requestedBy);

/** Every message ends 'failed' (the address is rejected), as a misconfigured provider would leave them. */
async function failEverything(orderId: string) {
  const reject = async (): Promise<never> => {
    throw new DeliveryError('stand-in: address rejected', { permanent: true });
  };
  const notifier = createNotifier(world.deps, quietLog, { transports: { email: { name: 'rejecting', send: reject }, sms: { name: 'rejecting', send: reject } } });
  const dispatcher = startDispatcher(notifier, { pollMs: 20, maxAttempts: 1, backoffMs: 10 });
  try {
    return await settledOutbox(world.db.db, orderId);
  } finally {
    await dispatcher.stop();
  }
}

it('customer and admin send tickets again; the customer is told when the limit is reached; an admin retries a failed message', async () => {
  const { deps, base, browser } = world;
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity: 5 }] });
  const placed = await placeOrder(deps, { eventId, customer: customer(5), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
  await completeTestPayment(deps, { ...placed, action: 'pay' });
  const { code } = await getOrder(deps, placed);
  const limit = deps.config.notifications.resendPerHour;

  const customerPage = await browser.context.newPage();
  await customerPage.goto(orderPageUrl(base, placed.orderId, placed.token));
  const button = customerPage.getByRole('button', { name: 'Email my tickets again' });
  for (let i = 0; i < limit; i++) {
    await button.click();
    await customerPage.getByRole('status').filter({ hasText: 'on their way to customer5@example.com' }).waitFor();
    await expect.poll(() => resentBy(placed.orderId)).toHaveLength(i + 1);
  }
  await button.click();
  const refusal = customerPage.getByRole('alert');
  await refusal.getByText('Too many attempts').waitFor();
  await expect(refusal.textContent()).resolves.toContain('try again in an hour');
  expect(await resentBy(placed.orderId)).toHaveLength(limit);

  const admin = await userCaller(deps, 'admin');
  const adminPage = await browser.context.newPage();
  await signInThroughForm(adminPage, base, admin.email, admin.password);
  await adminPage.getByRole('heading', { name: 'Events' }).waitFor();
  await adminPage.goto(`${base}/admin/events/${eventId}/orders`);
  await adminPage.locator('tr', { hasText: code }).getByRole('button', { name: 'Resend tickets' }).click();
  await adminPage.getByRole('status').filter({ hasText: `order ${code} are queued` }).waitFor();
  expect(await resentBy(placed.orderId)).toEqual([...Array.from({ length: limit }, () => 'customer'), 'admin']);

  const failed = await failEverything(placed.orderId);
  expect(failed.every((m) => m.status === 'failed')).toBe(true);
  await adminPage.goto(`${base}/admin`);
  const panel = adminPage.getByRole('region', { name: 'Failed notifications' });
  const items = panel.getByRole('listitem');
  await expect.poll(() => items.count()).toBe(failed.length);
  await expect(items.first().textContent()).resolves.toContain('stand-in: address rejected');
  await items.first().getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => items.count()).toBe(failed.length - 1);
  const reopened = (await outboxOf(deps.db, placed.orderId)).filter((m) => m.status !== 'failed');
  expect(reopened).toHaveLength(1);
  expect(reopened[0]!.status).toBe('pending');
});
