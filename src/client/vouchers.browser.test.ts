import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCaller } from '../testing/app.ts';
import { signInThroughForm, startBrowserApp, type BrowserApp } from '../testing/browser.ts';
import { createTestEvent, customer } from '../testing/fixtures.ts';
import { placeOrder, refundOrder } from '../modules/orders/index.ts';
import { createVouchers } from '../modules/vouchers/service.ts';
import { offerToken } from '../modules/waitlist/offer-token.ts';
import { ticketsOfOrder } from '../modules/tickets/index.ts';

/*
 * Vouchers and waiting lists in real Chromium against the real server and PostgreSQL: a code applied on
 * the event page shows the discounted total, which is what the TEST page charges; a sold-out type takes
 * sign-ups; an offer link buys the seats held for it.
 */
let t: BrowserApp;
beforeAll(async () => {
  t = await startBrowserApp();
});
afterAll(() => t?.close());

describe('vouchers and waiting lists in Chromium', () => {
  it('applies a voucher on the event page, shows the discounted total, pays it and gets the tickets', async () => {
    const { eventId } = await createTestEvent(t.db.db, t.deps.clock(), { ticketTypes: [{ name: 'Standard', priceCents: 2500, capacity: 5 }] });
    await createVouchers(t.db.db, { eventId, codes: ['HALF-PRICE'], discount: { percent: 50 }, maxUses: 5 }, t.deps.clock());
    const page = await t.browser.context.newPage();
    const apiUrls: string[] = [];
    page.on('request', (r) => void (r.url().includes('/trpc/') && apiUrls.push(r.url())));
    await page.goto(`${t.base}/events/${eventId}`);
    await page.getByRole('button', { name: 'More: Quantity of Standard' }).click();
    await page.getByRole('button', { name: 'More: Quantity of Standard' }).click();
    expect(await page.getByTestId('order-total').textContent()).toBe('€50.00');

    await page.getByLabel('Voucher code').fill('WRONG-CODE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('This voucher code is not valid. Check that you typed it correctly.').waitFor();
    expect(await page.getByTestId('order-total').textContent()).toBe('€50.00');

    await page.getByLabel('Voucher code').fill('half-price');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Voucher HALF-PRICE applied: 50% off').waitFor();
    expect(await page.getByTestId('voucher-price').textContent()).toBe('€12.50');
    expect(await page.getByTestId('order-total').textContent()).toBe('€25.00');
    expect(page.url()).toBe(`${t.base}/events/${eventId}?voucher=half-price`);
    // The code went to the API in POST bodies, never in a URL an access log keeps.
    expect(apiUrls.filter((u) => /half-price|wrong-code/i.test(decodeURIComponent(u)))).toEqual([]);

    await page.getByLabel('Name', { exact: true }).fill('Grace Hopper');
    await page.getByLabel('Email', { exact: true }).fill('grace.voucher@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}\/pay#token=/);
    expect(await page.getByTestId('order-total').textContent()).toBe('€25.00');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}#token=/);
    await page.getByTestId('ticket-code').first().waitFor();
    expect(await page.getByTestId('ticket-code').count()).toBe(2);
    const orderId = /\/orders\/([0-9a-f-]{36})#/.exec(page.url())![1]!;
    expect(await ticketsOfOrder(t.db.db, orderId)).toHaveLength(2);
    await page.close();
  });

  it('a sold-out type takes a waiting-list sign-up; the offer link buys the seat held for it', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(t.db.db, t.deps.clock(), { ticketTypes: [{ name: 'Gallery', priceCents: 0, capacity: 1 }] });
    const first = await placeOrder(t.deps, { eventId, customer: customer(1), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    const page = await t.browser.context.newPage();
    await page.goto(`${t.base}/events/${eventId}`);
    await page.getByText('Sold out — join the waiting list').click();
    const form = page.getByRole('form', { name: 'Waiting list for Gallery' });
    await form.getByLabel('Name').fill('Ada Waiting');
    await form.getByLabel('Email').fill('ada.waiting@example.com');
    await form.getByRole('button', { name: 'Join the waiting list' }).click();
    await page.getByText('You are on the waiting list').waitFor();

    await refundOrder(t.deps, { orderId: first.orderId, actor: 'test' });
    const { caller: admin } = await userCaller(t.deps, 'admin');
    const [entry] = await admin.admin.listWaitlist({ eventId });
    expect(entry).toMatchObject({ status: 'offered', email: 'ada.waiting@example.com' });
    await page.goto(`${t.base}/waitlist/${entry!.id}#token=${encodeURIComponent(offerToken(t.deps.config.appSecret!, entry!.id))}`);
    await page.getByText('1 × Gallery').waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe('ada.waiting@example.com');
    await page.getByRole('button', { name: 'Get tickets' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}#token=/);
    await page.getByTestId('ticket-code').first().waitFor();
    await page.close();
  });

  it('the organizer creates 3 random codes with seats held back, sees them listed and downloads the CSV', async () => {
    const { eventId } = await createTestEvent(t.db.db, t.deps.clock(), { ticketTypes: [{ name: 'Hall', priceCents: 2000, capacity: 10 }] });
    const admin = await userCaller(t.deps, 'admin');
    const page = await t.browser.context.newPage();
    await signInThroughForm(page, t.base, admin.email, admin.password);
    await page.getByText(`Signed in as ${admin.email}`).waitFor();
    await page.goto(`${t.base}/admin/events/${eventId}/vouchers`);
    const form = page.getByRole('form', { name: 'New vouchers' });
    await form.getByLabel('How many random codes').fill('3');
    await form.getByLabel('Value').fill('25');
    await form.getByLabel('Hall').check();
    await form.getByLabel('Seats held back per code (one ticket type)').fill('2');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByText('3 vouchers created.').waitFor();
    const codes = await page.locator('table code').allTextContents();
    expect(codes).toHaveLength(3);
    for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{16}$/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await (await download).createReadStream().then(async (stream) => {
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      return text;
    });
    expect(csv.split('\n')[0]).toBe('code,discount,max_uses,uses,valid_from,valid_until,reserved_seats,disabled');
    // 3 codes × 2 seats held back: the public sees 4 of the 10.
    await page.goto(`${t.base}/events/${eventId}`);
    await page.getByText('Only 4 left').waitFor();
    await page.close();
  });
});
