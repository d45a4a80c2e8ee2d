import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { callerFor } from '../testing/app.ts';
import { startBrowserApp, type BrowserApp } from '../testing/browser.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { parseTicketSecret, publicKeyOf, ticketsOfOrder, verifyTicketSecret } from '../modules/tickets/index.ts';

/*
 * The storefront in real Chromium against the real server and PostgreSQL: buy a free ticket and see its
 * code and a QR that decodes to the ticket's signed secret; pay a priced order on the TEST page; watch a
 * pending order turn into tickets without a reload; cancel a checkout.
 */
let t: BrowserApp;
beforeAll(async () => {
  t = await startBrowserApp();
});

afterAll(() => t?.close());

const orderFromUrl = (page: Page) => {
  const m = /\/orders\/([0-9a-f-]{36})(?:\/pay)?#token=([^&]+)$/.exec(page.url());
  if (!m) throw new Error(`not an order page: ${page.url()}`);
  return { orderId: m[1]!, token: decodeURIComponent(m[2]!) };
};

async function openEvent(page: Page, eventName: string) {
  await page.goto(`${t.base}/`);
  await page.getByRole('link', { name: eventName }).click();
  await page.getByRole('heading', { level: 1, name: eventName }).waitFor();
}

async function fillCustomer(page: Page, name: string, email: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
}

/** The QR <img> of the n-th ticket, as the text it encodes. */
async function decodeQr(page: Page, n: number): Promise<string> {
  const src = await page.locator('img.qr').nth(n).getAttribute('src');
  expect(src).toMatch(/^data:image\/png;base64,/);
  const png = PNG.sync.read(Buffer.from(src!.split(',')[1]!, 'base64'));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, 'the QR image decodes').not.toBeNull();
  return decoded!.data;
}

describe('storefront in Chromium', () => {
  it('buys a free ticket and shows its 6-digit code and a QR holding its signed secret', async () => {
    const { eventId } = await createTestEvent(t.db.db, t.deps.clock(), { ticketTypes: [{ name: 'Free entry', priceCents: 0, capacity: 50 }] });
    const { name: eventName } = await callerFor(t.deps).catalog.getEvent({ eventId });
    const page = await t.browser.context.newPage();
    await openEvent(page, eventName);
    await page.getByRole('button', { name: 'More: Quantity of Free entry' }).click();
    expect(await page.getByTestId('order-total').textContent()).toBe('€0.00');

    // The server's field error appears next to the field, and nothing is ordered.
    await fillCustomer(page, 'Ada Lovelace', 'not-an-email');
    await page.getByRole('button', { name: 'Get tickets' }).click();
    await page.getByText('Enter a valid email address').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(`${t.base}/events/${eventId}`);

    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByRole('button', { name: 'Get tickets' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}#token=/);
    const codeEl = page.getByTestId('ticket-code');
    await codeEl.waitFor();

    expect(await page.getByTestId('attendee-name').textContent()).toBe('Ada Lovelace');
    expect(await page.getByText('Free entry', { exact: true }).count()).toBeGreaterThan(0);
    const code = (await codeEl.textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    const img = page.locator('img.qr');
    expect(await img.isVisible()).toBe(true);
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);

    // What the page shows is this order's ticket: its code, and a QR that is its current signed secret.
    const { orderId } = orderFromUrl(page);
    const [ticket] = await ticketsOfOrder(t.db.db, orderId);
    expect(code).toBe(ticket!.code);
    const secret = await decodeQr(page, 0);
    expect(secret).toBe(ticket!.secret);
    expect(parseTicketSecret(secret)).toMatchObject({ ticketId: ticket!.id, eventId });
    expect(verifyTicketSecret(secret, await publicKeyOf(t.db.db, eventId))).toBe(true);

    await page.screenshot({ path: '/tmp/confirmation.png', fullPage: true });
    await page.close();
  });

  it('pays a priced order with add-ons on the TEST page, then shows the tickets', async () => {
    const { eventId } = await createTestEvent(t.db.db, t.deps.clock(), {
      ticketTypes: [{ name: 'Standard', priceCents: 2500, capacity: 5 }],
      addOns: [{ name: 'T-shirt', priceCents: 1000, capacity: 10, maxPerTicket: 2 }],
    });
    const { name: eventName } = await callerFor(t.deps).catalog.getEvent({ eventId });
    const page = await t.browser.context.newPage();
    await openEvent(page, eventName);
    await page.getByText('Only 5 left').waitFor();
    const more = page.getByRole('button', { name: 'More: Quantity of Standard' });
    await more.click();
    await more.click();
    await page.getByRole('button', { name: 'More: T-shirt per Standard ticket' }).click();
    expect(await page.getByTestId('order-total').textContent()).toBe('€70.00');
    await fillCustomer(page, 'Grace Hopper', 'grace@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();

    await page.waitForURL(/\/orders\/[0-9a-f-]{36}\/pay#token=/);
    await page.getByText('TEST PAYMENT — no money is collected').waitFor();
    expect(await page.getByTestId('order-total').textContent()).toBe('€70.00');
    await page.getByRole('button', { name: 'Pay' }).click();

    await page.waitForURL(/\/orders\/[0-9a-f-]{36}#token=/);
    await page.getByTestId('ticket-code').first().waitFor();
    const codes = await page.getByTestId('ticket-code').allTextContents();
    expect(codes).toHaveLength(2);
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(await page.getByText('1 × T-shirt').count()).toBe(2);
    const { orderId } = orderFromUrl(page);
    const secrets = (await ticketsOfOrder(t.db.db, orderId)).map((t) => t.secret).sort();
    expect([await decodeQr(page, 0), await decodeQr(page, 1)].sort()).toEqual(secrets);
    await page.close();
  });

  it('turns a pending order page into tickets by itself once payment arrives', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(t.db.db, t.deps.clock(), { ticketTypes: [{ priceCents: 900 }] });
    const placed = await callerFor(t.deps).orders.create({
      eventId,
      customer: { name: 'Katherine Johnson', email: 'kj@example.com' },
      lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
    });
    const page = await t.browser.context.newPage();
    await page.goto(`${t.base}/orders/${placed.orderId}#token=${encodeURIComponent(placed.token)}`);
    await page.getByText('Waiting for payment.').waitFor();
    expect(await page.getByTestId('ticket-code').count()).toBe(0);

    await callerFor(t.deps).orders.testPayment({ orderId: placed.orderId, token: placed.token, action: 'pay' });
    await page.getByTestId('ticket-code').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('attendee-name').textContent()).toBe('Katherine Johnson');
    await page.close();
  });

  it('cancels a checkout on the TEST page, says the seats were released, then reports SOLD_OUT', async () => {
    const { eventId } = await createTestEvent(t.db.db, t.deps.clock(), { ticketTypes: [{ name: 'Last seat', priceCents: 500, capacity: 1 }] });
    const { name: eventName } = await callerFor(t.deps).catalog.getEvent({ eventId });
    const page = await t.browser.context.newPage();
    await openEvent(page, eventName);
    await page.getByRole('button', { name: 'More: Quantity of Last seat' }).click();
    await fillCustomer(page, 'Alan Turing', 'alan@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/pay#token=/);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.waitForURL(`${t.base}/events/${eventId}?cancelled=*`);
    await page.getByText('Your checkout was cancelled; the seats were released.').waitFor();
    await page.getByText('Only 1 left').waitFor();

    // Someone else takes the seat meanwhile: the typed SOLD_OUT error shows and the page catches up.
    const [ticketTypeId] = (await callerFor(t.deps).catalog.getEvent({ eventId })).ticketTypes.map((t) => t.id);
    await callerFor(t.deps).orders.create({
      eventId,
      customer: { name: 'Other', email: 'other@example.com' },
      lines: [{ ticketTypeId: ticketTypeId!, quantity: 1 }],
    });
    await page.getByRole('button', { name: 'More: Quantity of Last seat' }).click();
    await fillCustomer(page, 'Alan Turing', 'alan@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByRole('alert').getByText('Last seat is sold out').waitFor();
    await page.locator('.badge-out', { hasText: 'Sold out' }).waitFor();
    expect(page.url()).toContain(`/events/${eventId}`);
    await page.close();
  });

  it('shows a not-found message for order links without or with a wrong token, and mangled links', async () => {
    const page = await t.browser.context.newPage();
    const id = '00000000-0000-4000-8000-000000000000';
    await page.goto(`${t.base}/orders/${id}`);
    await page.getByText('No order with this link.').waitFor();
    await page.goto(`${t.base}/orders/${id}#token=${'x'.repeat(43)}`);
    await page.reload();
    await page.getByText('No order with this link.').waitFor();
    await page.goto(`${t.base}/events/not-an-id`);
    await page.getByText('This link is not valid.').waitFor();
    await page.close();
  });
});
