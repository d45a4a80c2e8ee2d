import type { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { orderSnapshot } from '../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { getPublicEvent } from '../catalog/index.ts';
import { latestPaymentOf } from '../payments/index.ts';
import { ticketsOfOrder } from '../tickets/index.ts';
import { expireOverdueOrders } from './lifecycle.ts';
import { completeTestPayment, placeOrder } from './service.ts';

const h = useStripeHarness();

const available = async (eventId: string) => (await getPublicEvent(h.deps.db, eventId, h.deps.clock())).ticketTypes[0]!.available;

/** The customer pays at Stripe and Stripe tells us. */
async function pay(order: { sessionId: string }) {
  const { session } = h.standIn.completeSession(order.sessionId);
  const event = h.standIn.event('checkout.session.completed', session);
  expect((await h.deliver(event)).statusCode).toBe(200);
  return event;
}

async function paidOrder(capacity = 5) {
  const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 2000, capacity }] });
  const order = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
  await pay(order);
  return { ...order, eventId };
}

describe('late payments (completed after the hold expired)', () => {
  it('pays the order as normal when the capacity is still there', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 900, capacity: 2 }] });
    const order = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
    h.deps.clock.advance(20 * 60_000);
    await expireOverdueOrders(h.deps.db, h.deps.clock());
    expect(await available(eventId)).toBe(2);
    await pay(order);
    expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'paid', payment: 'confirmed', tickets: ['valid', 'valid'], available: 0 });
    expect(h.standIn.requestsTo('POST', '/v1/refunds').filter((r) => r.body.metadata.orderId === order.orderId)).toHaveLength(0);
  });

  it('refunds automatically and tells the customer, once, when the tickets were sold meanwhile; never oversells', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 900, capacity: 1 }] });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }];
    const late = await h.place({ eventId, customer: customer(1), lines });
    h.deps.clock.advance(16 * 60_000);
    const onTime = await h.place({ eventId, customer: customer(2), lines });
    await pay(onTime);

    // Stripe's refund call fails the first time: 503, so Stripe redelivers; the decision is kept.
    const { session } = h.standIn.completeSession(late.sessionId);
    const event = h.standIn.event('checkout.session.completed', session);
    const originalRefunds = h.standIn.requestsTo('POST', '/v1/refunds').length;
    h.standIn.failWith(500, 'POST /v1/refunds');
    const refused = await h.deliver(event).finally(() => h.standIn.failWith(null));
    expect(refused.statusCode).toBe(503);
    expect(await orderSnapshot(h.deps, late)).toMatchObject({ payment: 'refunded', messages: ['order.late_payment_refunded'] });
    expect(h.standIn.chargeOf(late.sessionId)).toMatchObject({ refunded: false });
    for (let i = 0; i < 2; i++) expect((await h.deliver(event)).statusCode).toBe(200);
    // Stripe echoes its own refund; harmless.
    const echo = h.standIn.event('charge.refunded', h.standIn.chargeOf(late.sessionId));
    expect((await h.deliver(echo)).statusCode).toBe(200);

    expect(await orderSnapshot(h.deps, late)).toMatchObject({
      status: 'expired',
      payment: 'refunded',
      tickets: [],
      messages: ['order.late_payment_refunded'],
      available: 0,
    });
    expect(await orderSnapshot(h.deps, onTime)).toMatchObject({ status: 'paid', tickets: ['valid'] });
    const payment = await latestPaymentOf(h.deps.db, late.orderId);
    const refunds = h.standIn.requestsTo('POST', '/v1/refunds').slice(originalRefunds);
    expect(refunds.length).toBeGreaterThanOrEqual(2);
    expect(new Set(refunds.map((r) => r.idempotencyKey))).toEqual(new Set([`refund-${payment!.id}`]));
    expect(h.standIn.chargeOf(late.sessionId)).toMatchObject({ refunded: true });
  });
});

describe('bank debits (asynchronous payment methods)', () => {
  it('keeps the order pending while the debit is processing, and releases it when the debit fails', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 900, capacity: 4 }] });
    const order = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 3 }] });
    const { session } = h.standIn.completeSession(order.sessionId, { async: true });
    expect((await h.deliver(h.standIn.event('checkout.session.completed', session))).statusCode).toBe(200);
    expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'pending', payment: 'pending', available: 1 });
    h.standIn.settleAsync(order.sessionId, 'failed');
    expect((await h.deliver(h.standIn.event('checkout.session.async_payment_failed', session))).statusCode).toBe(200);
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'cancelled', payment: 'failed', tickets: [], messages: [], available: 4 });
    expect(after.changes).toContain('pending→cancelled by provider:stripe');
  });
});

describe('refunds and disputes', () => {
  it('admin refund: Stripe refund with an idempotency key, order cancelled with who and why, tickets void, capacity back', async () => {
    const order = await paidOrder();
    const { caller: admin, user } = await userCaller(h.deps, 'admin');
    const before = await ticketsOfOrder(h.deps.db, order.orderId);
    const listed = await admin.admin.listOrders({ eventId: order.eventId });
    expect(listed).toEqual([expect.objectContaining({ id: order.orderId, status: 'paid', totalCents: 4000, currency: 'EUR', customerEmail: 'customer1@example.com' })]);

    await admin.admin.refundOrder({ orderId: order.orderId, reason: 'event moved' });
    // Stripe's webhook for that refund, and a second click, change nothing more.
    const echo = h.standIn.event('charge.refunded', h.standIn.chargeOf(order.sessionId));
    expect((await h.deliver(echo)).statusCode).toBe(200);
    await admin.admin.refundOrder({ orderId: order.orderId });

    const payment = await latestPaymentOf(h.deps.db, order.orderId);
    const refunds = h.standIn.requestsTo('POST', '/v1/refunds').filter((r) => r.body.metadata.orderId === order.orderId);
    expect(refunds.map((r) => r.idempotencyKey)).toEqual([`refund-${payment!.id}`]);
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'cancelled', payment: 'refunded', tickets: ['void', 'void'], messages: ['order.paid', 'order.refunded'], available: 5 });
    expect(after.changes).toContain(`paid→cancelled by admin:${user.id}`);
    const voided = await ticketsOfOrder(h.deps.db, order.orderId);
    // New secrets: the old QR codes match no ticket any more.
    expect(voided.map((t) => t.secret).filter((s) => before.some((b) => b.secret === s))).toEqual([]);
  });

  it('refuses a refund to non-admins and for unpaid orders', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 500 }] });
    const pending = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    const { caller: staff } = await userCaller(h.deps, 'staff');
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: TRPCError) => e.code);
    expect(await codeOf(callerFor(h.deps).admin.refundOrder({ orderId: pending.orderId }))).toBe('UNAUTHORIZED');
    expect(await codeOf(staff.admin.refundOrder({ orderId: pending.orderId }))).toBe('FORBIDDEN');
    expect(await codeOf(admin.admin.refundOrder({ orderId: pending.orderId }))).toBe('CONFLICT');
    expect(await codeOf(admin.admin.listOrders({ eventId: 'not-a-uuid' }))).toBe('BAD_REQUEST');
  });

  it('dashboard refund (charge.refunded) has the same effect as the admin refund', async () => {
    const order = await paidOrder();
    const charge = h.standIn.refundFromDashboard(h.standIn.chargeOf(order.sessionId).id);
    expect((await h.deliver(h.standIn.event('charge.refunded', charge))).statusCode).toBe(200);
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'cancelled', payment: 'refunded', tickets: ['void', 'void'], messages: ['order.paid', 'order.refunded'], available: 5 });
    expect(after.changes).toContain('paid→cancelled by provider:stripe');
  });

  it('dispute: tickets void, order cancelled, capacity back, payment disputed', async () => {
    const order = await paidOrder();
    h.deps.clock.advance(60_000);
    const dispute = h.standIn.dispute(h.standIn.chargeOf(order.sessionId).id);
    const event = h.standIn.event('charge.dispute.created', dispute);
    expect((await h.deliver(event)).statusCode).toBe(200);
    expect((await h.deliver(event)).statusCode).toBe(200);
    expect(await orderSnapshot(h.deps, order)).toMatchObject({
      status: 'cancelled',
      payment: 'disputed',
      tickets: ['void', 'void'],
      messages: ['order.paid', 'order.cancelled'],
      available: 5,
    });
  });

  it('an order paid with the test provider is refunded locally, without calling Stripe', async () => {
    const local = testDeps(h.deps.db);
    const { eventId, ticketTypeIds } = await createTestEvent(local.db, local.clock(), { ticketTypes: [{ priceCents: 300, capacity: 3 }] });
    const placed = await placeOrder(local, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    await completeTestPayment(local, { ...placed, action: 'pay' });
    const refundsBefore = h.standIn.requestsTo('POST', '/v1/refunds').length;
    const { caller: admin } = await userCaller(local, 'admin');
    await admin.admin.refundOrder({ orderId: placed.orderId });
    expect(h.standIn.requestsTo('POST', '/v1/refunds').length).toBe(refundsBefore);
    expect(await orderSnapshot(local, placed)).toMatchObject({ status: 'cancelled', payment: 'refunded', tickets: ['void'], available: 3 });
  });
});
