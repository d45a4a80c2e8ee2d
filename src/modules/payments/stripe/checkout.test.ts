import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../testing/app.ts';
import { createTestEvent, customer } from '../../../testing/fixtures.ts';
import { useStripeHarness } from '../../../testing/stripe.ts';
import { formatMoney } from '../../../shared/money.ts';
import { AppError } from '../../../shared/errors.ts';
import { getPublicEvent } from '../../catalog/index.ts';
import { getOrder, placeOrder } from '../../orders/index.ts';
import { resumePayment } from '../../orders/index.ts';
import { latestPaymentOf } from '../index.ts';

const h = useStripeHarness();

const lastCreate = () => h.standIn.requestsTo('POST', '/v1/checkout/sessions').at(-1)!;

describe('Stripe Checkout', () => {
  it('sends every line in minor units, adding up to the order total, with the order in metadata', async () => {
    const now = h.deps.clock();
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(h.deps.db, now, {
      ticketTypes: [{ name: 'Standard', priceCents: 2550 }, { name: 'VIP', priceCents: 9900 }],
      addOns: [{ name: 'Parking', priceCents: 399, maxPerTicket: 2 }],
    });
    const placed = await h.place({
      eventId,
      customer: { name: 'Ada', email: 'Ada@Example.com' },
      lines: [
        { ticketTypeId: ticketTypeIds[0]!, quantity: 3, addOns: [{ addOnId: addOnIds[0]!, quantity: 2 }] },
        { ticketTypeId: ticketTypeIds[1]!, quantity: 1 },
      ],
    });
    const order = await getOrder(h.deps, placed);
    const payment = await latestPaymentOf(h.deps.db, placed.orderId);
    const { body, idempotencyKey } = lastCreate();
    const lines = (body.line_items as { quantity: string; price_data: { currency: string; unit_amount: string; product_data: { name: string } } }[]).map(
      (l) => ({ name: l.price_data.product_data.name, unit: Number(l.price_data.unit_amount), quantity: Number(l.quantity), currency: l.price_data.currency }),
    );
    expect(lines).toEqual([
      { name: 'Standard', unit: 2550, quantity: 3, currency: 'eur' },
      { name: 'Parking', unit: 399, quantity: 6, currency: 'eur' },
      { name: 'VIP', unit: 9900, quantity: 1, currency: 'eur' },
    ]);
    expect(lines.reduce((s, l) => s + l.unit * l.quantity, 0)).toBe(order.totalCents);
    expect(order.totalCents).toBe(3 * 2550 + 6 * 399 + 9900);
    expect(body.metadata).toEqual({ orderId: placed.orderId, paymentId: payment!.id, orderCode: order.code });
    expect(body.payment_intent_data.metadata).toEqual(body.metadata);
    expect(body.customer_email).toBe('ada@example.com');
    expect(body.success_url).toBe(`${h.deps.config.publicUrl}/orders/${placed.orderId}#token=${encodeURIComponent(placed.token)}`);
    expect(body.cancel_url).toBe(`${h.deps.config.publicUrl}/events/${eventId}?cancelled=${placed.orderId}`);
    expect(idempotencyKey).toBe(`checkout-${payment!.id}-1`);
    // Hold of 15 minutes, but Stripe needs ≥ 30: the session lives 31 minutes, rounded up to the minute.
    expect(Number(body.expires_at)).toBe(Math.ceil((now.getTime() + 31 * 60_000) / 60_000) * 60);
    expect(payment).toMatchObject({ provider: 'stripe', status: 'pending', providerRef: placed.sessionId, amountCents: order.totalCents });
  });

  it('passes a zero-decimal currency (JPY) through unchanged: our minor unit is the yen, as Stripe expects', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { currency: 'JPY', ticketTypes: [{ priceCents: 1500 }] });
    const placed = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
    const line = lastCreate().body.line_items[0];
    expect(line.price_data).toMatchObject({ currency: 'jpy', unit_amount: '1500' });
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect((await getOrder(h.deps, placed)).totalCents).toBe(3000);
  });

  it('aligns a long hold: the session expires with the hold', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { holdMinutes: 90, ticketTypes: [{ priceCents: 100 }] });
    const placed = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    const order = await getOrder(h.deps, placed);
    expect(Number(lastCreate().body.expires_at)).toBe(new Date(order.expiresAt).getTime() / 1000);
  });

  it('Stripe answering 500: PAYMENT_UNAVAILABLE with the order to retry, the hold kept, and the retry works', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 700, capacity: 5 }] });
    const before = h.standIn.requests.length;
    h.standIn.failWith(500);
    const err = await callerFor(h.deps)
      .orders.create({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] })
      .catch((e: unknown) => e);
    h.standIn.failWith(null);
    expect(err).toBeInstanceOf(TRPCError);
    const cause = (err as TRPCError).cause as AppError;
    expect(cause.code).toBe('PAYMENT_UNAVAILABLE');
    const { orderId, token } = cause.details as { orderId: string; token: string };
    // The SDK retried (twice) with the same idempotency key before giving up.
    const attempts = h.standIn.requests.slice(before);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    expect((await getOrder(h.deps, { orderId, token })).status).toBe('pending');
    expect((await getPublicEvent(h.deps.db, eventId, h.deps.clock())).ticketTypes[0]!.available).toBe(3);

    const { paymentUrl } = await resumePayment(h.deps, { orderId, token });
    const payment = await latestPaymentOf(h.deps.db, orderId);
    expect(paymentUrl).toBe(h.standIn.sessions.get(payment!.providerRef!)!.url);
  });

  it('Stripe refusing connections: same answer; resuming twice reuses the open session', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 700, capacity: 5 }] });
    await h.standIn.stop();
    const err = await placeOrder(h.deps, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] }).catch(
      (e: unknown) => e,
    );
    await h.standIn.start();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PAYMENT_UNAVAILABLE');
    const access = (err as AppError).details as { orderId: string; token: string };
    const creates = h.standIn.requestsTo('POST', '/v1/checkout/sessions').length;
    const first = await resumePayment(h.deps, access);
    const second = await resumePayment(h.deps, access);
    expect(second.paymentUrl).toBe(first.paymentUrl);
    expect(h.standIn.requestsTo('POST', '/v1/checkout/sessions').length).toBe(creates + 1);
  });
});
