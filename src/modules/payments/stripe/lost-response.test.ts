import { describe, expect, it } from 'vitest';
import { createTestEvent, customer } from '../../../testing/fixtures.ts';
import { orderSnapshot } from '../../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../../testing/stripe.ts';
import type { AppError } from '../../../shared/errors.ts';
import { placeOrder } from '../../orders/index.ts';
import { resumePayment } from '../../orders/index.ts';
import { latestPaymentOf } from '../index.ts';

const h = useStripeHarness();

const sessionsOf = (orderId: string) => [...h.standIn.sessions.values()].filter((s) => (s.metadata as { orderId?: string }).orderId === orderId);
const liveSessionsOf = (orderId: string) => sessionsOf(orderId).filter((s) => s.status === 'open');

async function order() {
  const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity: 4 }] });
  return { eventId, lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] };
}

async function deliver(type: string, object: Record<string, unknown> & { id: string }) {
  expect((await h.deliver(h.standIn.event(type, object))).statusCode).toBe(200);
  h.deps.clock.advance(1000);
}

describe('a lost Checkout response', () => {
  it('retried two minutes later: the same request under the same key, one live session for the order', async () => {
    const { eventId, lines } = await order();
    const before = h.standIn.requestsTo('POST', '/v1/checkout/sessions').length;
    h.standIn.dropResponses('POST /v1/checkout/sessions');
    const err = await placeOrder(h.deps, { eventId, customer: customer(), lines }).catch((e: unknown) => e);
    h.standIn.dropResponses(null);
    expect((err as AppError).code).toBe('PAYMENT_UNAVAILABLE');
    const access = (err as AppError).details as { orderId: string; token: string };
    // Stripe made the session; we never heard of it.
    expect(sessionsOf(access.orderId)).toHaveLength(1);
    expect((await latestPaymentOf(h.deps.db, access.orderId))!.providerRef).toBeNull();

    h.deps.clock.advance(2 * 60_000);
    const { paymentUrl } = await resumePayment(h.deps, access);
    const payment = await latestPaymentOf(h.deps.db, access.orderId);
    expect(liveSessionsOf(access.orderId)).toHaveLength(1);
    expect(paymentUrl).toBe(liveSessionsOf(access.orderId)[0]!.url);
    expect(payment!.providerRef).toBe(liveSessionsOf(access.orderId)[0]!.id);
    const creates = h.standIn.requestsTo('POST', '/v1/checkout/sessions').slice(before);
    expect(creates.length).toBeGreaterThanOrEqual(2); // the SDK's own retries, then the customer's
    expect(new Set(creates.map((c) => c.idempotencyKey))).toEqual(new Set([`checkout-${payment!.id}-1`]));
    expect(new Set(creates.map((c) => JSON.stringify(c.body))).size).toBe(1);
  });

  it('a failure Stripe stored for the key is not replayed forever: the retry starts attempt 2', async () => {
    const { eventId, lines } = await order();
    h.standIn.failWith(500, 'POST /v1/checkout/sessions', { stored: true });
    const err = await placeOrder(h.deps, { eventId, customer: customer(), lines }).catch((e: unknown) => e);
    h.standIn.failWith(null);
    const access = (err as AppError).details as { orderId: string; token: string };
    h.deps.clock.advance(60_000);
    const { paymentUrl } = await resumePayment(h.deps, access);
    const payment = await latestPaymentOf(h.deps.db, access.orderId);
    expect(payment).toMatchObject({ checkoutAttempt: 2, providerRef: liveSessionsOf(access.orderId)[0]!.id });
    expect(sessionsOf(access.orderId).map((s) => s.url)).toEqual([paymentUrl]);
  });

  it('an expired session starts attempt 2; if the old one is paid anyway after the new one, that money is refunded', async () => {
    const { eventId, lines } = await order();
    const placed = await h.place({ eventId, customer: customer(), lines });
    h.standIn.expireSession(placed.sessionId);
    const { paymentUrl } = await resumePayment(h.deps, placed);
    const payment = await latestPaymentOf(h.deps.db, placed.orderId);
    expect(payment).toMatchObject({ checkoutAttempt: 2, status: 'pending' });
    const [live] = liveSessionsOf(placed.orderId);
    expect(liveSessionsOf(placed.orderId)).toHaveLength(1);
    expect(live!.url).toBe(paymentUrl);
    expect(h.standIn.requestsTo('POST', '/v1/checkout/sessions').at(-1)!.idempotencyKey).toBe(`checkout-${payment!.id}-2`);

    await deliver('checkout.session.completed', h.standIn.completeSession(live!.id).session);
    // The old session is completed after all (its expiry and the customer's payment crossed at Stripe).
    await deliver('checkout.session.completed', h.standIn.completeSession(placed.sessionId).session);
    const refunds = h.standIn.requestsTo('POST', '/v1/refunds').filter((r) => r.body.metadata.orderId === placed.orderId);
    expect(refunds.map((r) => r.idempotencyKey)).toEqual([`refund-${payment!.id}-${placed.sessionId}`]);
    expect(h.standIn.chargeOf(placed.sessionId)).toMatchObject({ refunded: true });
    expect(h.standIn.chargeOf(live!.id)).toMatchObject({ refunded: false });
    // Stripe's echo of that refund leaves the paid order alone.
    await deliver('charge.refunded', h.standIn.chargeOf(placed.sessionId));
    expect(await orderSnapshot(h.deps, placed)).toMatchObject({ status: 'paid', payment: 'confirmed', tickets: ['valid', 'valid'], messages: ['order.paid'] });
  });
});
