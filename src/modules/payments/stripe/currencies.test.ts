import type { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { userCaller } from '../../../testing/app.ts';
import { customer } from '../../../testing/fixtures.ts';
import { orderSnapshot } from '../../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../../testing/stripe.ts';
import { formatMoney, parseMajorUnits } from '../../../shared/money.ts';
import { getOrder } from '../../orders/index.ts';

const h = useStripeHarness();

/** Intl puts a no-break space between a currency code and the number; compared here as a plain one. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');
const lastCreate = () => h.standIn.requestsTo('POST', '/v1/checkout/sessions').at(-1)!;

/** An admin creates an event in `currency` and a ticket type at the price typed into the form. */
async function eventPricedAt(currency: string, typed: string) {
  const { caller: admin } = await userCaller(h.deps, 'admin');
  const startsAt = new Date(h.deps.clock().getTime() + 7 * 24 * 3600_000).toISOString();
  const { eventId } = await admin.admin.createEvent({ name: `Gala ${currency}`, startsAt, currency });
  const priceCents = parseMajorUnits(typed, currency);
  expect(priceCents).not.toBeNull();
  const { ticketTypeId } = await admin.admin.createTicketType({ eventId, name: 'Seat', priceCents: priceCents!, capacity: 10 });
  return { admin, eventId, ticketTypeId, priceCents: priceCents! };
}

describe('currencies from price entry to the amount Stripe receives', () => {
  // typed in the admin form → shown to customers → sent to Stripe (its units, per docs.stripe.com/currencies)
  const matrix = [
    { currency: 'EUR', typed: '12.50', shown: '€12.50', stripe: 1250 }, // two-decimal
    { currency: 'JPY', typed: '1500', shown: '¥1,500', stripe: 1500 }, // zero-decimal at Stripe and for us
    { currency: 'HUF', typed: '4990', shown: 'HUF 4,990', stripe: 499000 }, // Stripe: two-decimal, whole forints only
    { currency: 'ISK', typed: '3500', shown: 'ISK 3,500', stripe: 350000 }, // Stripe: two-decimal, whole krónur only
    { currency: 'TWD', typed: '300', shown: 'NT$300.00', stripe: 30000 }, // cents for both, whole dollars only
    { currency: 'KWD', typed: '5.120', shown: 'KWD 5.120', stripe: 5120 }, // three-decimal, last digit 0
  ];

  for (const row of matrix) {
    it(`${row.currency}: ${row.typed} is shown as ${row.shown}, charged as ${row.stripe}, and the payment is accepted`, async () => {
      const { eventId, ticketTypeId, priceCents } = await eventPricedAt(row.currency, row.typed);
      expect(plain(formatMoney(priceCents, row.currency))).toBe(row.shown);
      const placed = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId, quantity: 2 }] });
      const line = lastCreate().body.line_items[0];
      expect(line.price_data).toMatchObject({ currency: row.currency.toLowerCase(), unit_amount: String(row.stripe) });
      expect(h.standIn.sessions.get(placed.sessionId)!.amount_total).toBe(2 * row.stripe);
      // Stripe reports the amount back in its units; the webhook matches it to the order's total.
      const { session } = h.standIn.completeSession(placed.sessionId);
      expect((await h.deliver(h.standIn.event('checkout.session.completed', session))).statusCode).toBe(200);
      expect(await orderSnapshot(h.deps, placed)).toMatchObject({ status: 'paid', payment: 'confirmed' });
      expect((await getOrder(h.deps, placed)).totalCents).toBe(2 * priceCents);
    });
  }

  it('refuses prices Stripe cannot charge, in the form and in the catalog, with the reason', async () => {
    const { admin, eventId } = await eventPricedAt('TWD', '300');
    const refused = await admin.admin.createTicketType({ eventId, name: 'Odd', priceCents: 30050, capacity: 1 }).catch((e: TRPCError) => e);
    expect((refused as TRPCError).code).toBe('BAD_REQUEST');
    expect((refused as TRPCError).message).toBe('Prices in TWD must be multiples of NT$1.00: card payments cannot charge smaller amounts');
    const kwd = await eventPricedAt('KWD', '1.000');
    const odd = await kwd.admin.admin.createAddOn({ eventId: kwd.eventId, name: 'Fils', priceCents: 1005 }).catch((e: TRPCError) => e);
    expect(plain((odd as TRPCError).message)).toMatch(/^Prices in KWD must be multiples of KWD 0.010/);
  });

  it('refuses an event in a unit of account, with a clear message', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const startsAt = new Date(h.deps.clock().getTime() + 7 * 24 * 3600_000).toISOString();
    const err = await admin.admin.createEvent({ name: 'SDR gala', startsAt, currency: 'XDR' }).catch((e: TRPCError) => e);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    expect((err as TRPCError).message).toContain('XDR is a unit of account, not a currency customers can pay in');
  });
});
