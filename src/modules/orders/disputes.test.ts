import { describe, expect, it } from 'vitest';
import { userCaller } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { orderSnapshot } from '../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { enrolDevice } from '../../testing/gate.ts';
import { ticketsOfOrder } from '../tickets/index.ts';

const h = useStripeHarness();

/** Delivers an event as Stripe would and expects it acknowledged. */
async function deliver(type: string, object: Record<string, unknown> & { id: string }) {
  const event = h.standIn.event(type, object);
  expect((await h.deliver(event)).statusCode).toBe(200);
  h.deps.clock.advance(1000); // keeps the outbox and status records in the order things happened
  return event;
}

async function paidOrder(capacity: number) {
  const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 2000, capacity }] });
  const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }];
  const order = await h.place({ eventId, customer: customer(), lines });
  await deliver('checkout.session.completed', h.standIn.completeSession(order.sessionId).session);
  return { ...order, eventId, lines };
}

/** The order's customer disputes the charge at their bank; Stripe tells us. */
async function disputed(order: { sessionId: string }) {
  const dispute = h.standIn.dispute(h.standIn.chargeOf(order.sessionId).id);
  const created = await deliver('charge.dispute.created', dispute);
  return { dispute, created };
}

describe('disputes', () => {
  it('won: the order is paid again with new tickets (old QR refused), one more email; redeliveries change nothing', async () => {
    const order = await paidOrder(5);
    const gate = await enrolDevice(h.deps, order.eventId);
    const original = await ticketsOfOrder(h.deps.db, order.orderId);
    const { dispute, created } = await disputed(order);
    expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'cancelled', payment: 'disputed', tickets: ['void', 'void'], available: 5 });

    const closed = await deliver('charge.dispute.closed', h.standIn.closeDispute(dispute.id, 'won'));
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({
      status: 'paid',
      payment: 'confirmed',
      tickets: ['void', 'void', 'valid', 'valid'],
      messages: ['order.paid', 'order.cancelled', 'order.paid'],
      available: 3,
    });
    expect(after.changes.at(-1)).toBe('cancelled→paid by provider:stripe');

    const reissued = (await ticketsOfOrder(h.deps.db, order.orderId)).filter((t) => t.status === 'valid');
    const secrets = new Set(original.map((t) => t.secret));
    expect(reissued.filter((t) => secrets.has(t.secret))).toEqual([]);
    expect((await gate.caller.checkin.scan({ eventId: order.eventId, qr: original[0]!.secret })).result).not.toBe('ok');
    expect((await gate.caller.checkin.scan({ eventId: order.eventId, qr: reissued[0]!.secret })).result).toBe('ok');

    // Stripe redelivers both events, the created one last (out of order): nothing happens twice.
    await deliver('charge.dispute.closed', h.standIn.disputes.get(dispute.id)!);
    expect((await h.deliver(closed)).statusCode).toBe(200);
    expect((await h.deliver(created)).statusCode).toBe(200);
    await deliver('charge.dispute.created', h.standIn.disputes.get(dispute.id)!);
    const again = await orderSnapshot(h.deps, order);
    expect(again).toEqual(after);
  });

  it('lost: nothing changes after the dispute voided the order', async () => {
    const order = await paidOrder(5);
    const { dispute } = await disputed(order);
    const before = await orderSnapshot(h.deps, order);
    await deliver('charge.dispute.closed', h.standIn.closeDispute(dispute.id, 'lost'));
    expect(await orderSnapshot(h.deps, order)).toEqual(before);
    expect(before).toMatchObject({ status: 'cancelled', payment: 'disputed', tickets: ['void', 'void'], messages: ['order.paid', 'order.cancelled'] });
  });

  it('won after the seats were sold: no oversell, the order is flagged for the organizer, who can refund it', async () => {
    const order = await paidOrder(2);
    const { dispute } = await disputed(order);
    const other = await h.place({ eventId: order.eventId, customer: customer(2), lines: order.lines });
    await deliver('checkout.session.completed', h.standIn.completeSession(other.sessionId).session);

    await deliver('charge.dispute.closed', h.standIn.closeDispute(dispute.id, 'won'));
    await deliver('charge.dispute.closed', h.standIn.disputes.get(dispute.id)!);
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'cancelled', payment: 'confirmed', tickets: ['void', 'void'], messages: ['order.paid', 'order.cancelled'], available: 0 });
    expect(after.changes.at(-1)).toBe('cancelled→cancelled by provider:stripe');
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const listed = (await admin.admin.listOrders({ eventId: order.eventId })).find((o) => o.id === order.orderId)!;
    expect(listed.attention).toMatch(/Dispute won but the tickets were sold/);

    await admin.admin.refundOrder({ orderId: order.orderId, reason: 'no seats left after the dispute' });
    expect(h.standIn.chargeOf(order.sessionId)).toMatchObject({ refunded: true });
    expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'cancelled', payment: 'refunded', messages: ['order.paid', 'order.cancelled', 'order.refunded'] });
    expect((await admin.admin.listOrders({ eventId: order.eventId })).find((o) => o.id === order.orderId)!.attention).toBeNull();
    expect(await orderSnapshot(h.deps, other)).toMatchObject({ status: 'paid', tickets: ['valid', 'valid'] });
  });
});
