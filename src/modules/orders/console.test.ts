import { describe, expect, it } from 'vitest';
import { userCaller } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { orderSnapshot } from '../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { ticketsOfOrder } from '../tickets/index.ts';
import { placeOrder } from './service.ts';

/* The organizer's console over orders: search with keyset paging, one order in full, partial refunds through Stripe. */

const h = useStripeHarness();

async function pay(order: { sessionId: string }) {
  const { session } = h.standIn.completeSession(order.sessionId);
  expect((await h.deliver(h.standIn.event('checkout.session.completed', session))).statusCode).toBe(200);
}

async function paidOrder(eventId: string, ticketTypeId: string, buyer: { name: string; email: string }, quantity = 2) {
  const order = await h.place({ eventId, customer: buyer, lines: [{ ticketTypeId, quantity }] });
  await pay(order);
  return order;
}

const twoTypes = () =>
  createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 2000, capacity: 5 }, { priceCents: 3500, capacity: 5 }] });

describe('admin.searchOrders', () => {
  it('finds orders by order code, ticket code, name prefix and email; pages newest first with a cursor', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 0, capacity: 200 }] });
    for (let i = 0; i < 55; i++) {
      await placeOrder(h.deps, { eventId, customer: { name: `Guest ${i}`, email: `guest${i}@example.org` }, lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
      h.deps.clock.advance(1000);
    }
    const jane = await placeOrder(h.deps, { eventId, customer: { name: 'Jane Smith-Jones', email: 'jane@example.net' }, lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });

    const first = await admin.admin.searchOrders({ eventId });
    expect(first.orders).toHaveLength(50);
    expect(first.orders[0]!.id).toBe(jane.orderId);
    const second = await admin.admin.searchOrders({ eventId, cursor: first.nextCursor! });
    expect(second.orders).toHaveLength(6);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.orders, ...second.orders].map((o) => o.id)).size).toBe(56);

    const detail = await admin.admin.getOrder({ orderId: jane.orderId });
    const ticketCode = detail.tickets[0]!.code;
    const ids = async (query: string) => (await admin.admin.searchOrders({ eventId, query })).orders.map((o) => o.id);
    expect(await ids(detail.code)).toEqual([jane.orderId]);
    expect(await ids(detail.code.toLowerCase())).toEqual([jane.orderId]);
    expect(await ids(ticketCode)).toEqual([jane.orderId]);
    expect(await ids('smi')).toEqual([jane.orderId]);
    expect(await ids('JANE jon')).toEqual([jane.orderId]);
    expect(await ids('jane@example.net')).toEqual([jane.orderId]);
    expect(await ids("'):*|!")).toEqual([]);
    expect(await ids('guest5')).toHaveLength(6); // guest5@, guest50@ … guest54@: a prefix
    expect((await admin.admin.searchOrders({ eventId, status: 'paid', query: 'guest' })).orders).toHaveLength(50);
    await expect(admin.admin.searchOrders({ eventId, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('admin.refundOrder by ticket', () => {
  it('refunds one ticket of two through Stripe: the stand-in sees its price, only it is void, its capacity returns', async () => {
    const { caller: admin, user } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await twoTypes();
    const order = await paidOrder(eventId, ticketTypeIds[0]!, customer(7));
    const [first, second] = await ticketsOfOrder(h.deps.db, order.orderId);
    expect((await orderSnapshot(h.deps, order)).available).toBe(3);

    // A double click: both requests at once. One Stripe refund (one idempotency key), recorded once,
    // nothing voided twice; the second click either finds the same refund or the ticket already void.
    const codeOf = (err: unknown) => (err as { cause?: { code?: string } }).cause?.code ?? String(err);
    const clicks = await Promise.all(
      [1, 2].map(() => admin.admin.refundOrder({ orderId: order.orderId, ticketIds: [first!.id], reason: 'could not come' }).catch(codeOf)),
    );
    expect(clicks).toContainEqual({ status: 'paid', refundedCents: 2000 });
    expect(clicks.filter((c) => typeof c === 'string' && c !== 'VALIDATION')).toEqual([]);

    const calls = h.standIn.requestsTo('POST', '/v1/refunds').filter((r) => r.body.metadata.orderId === order.orderId);
    expect(new Set(calls.map((r) => `${r.idempotencyKey} ${r.body.amount}`)).size).toBe(1);
    expect(calls[0]!.body.amount).toBe('2000');
    expect(h.standIn.chargeOf(order.sessionId)).toMatchObject({ refunded: false, amount_refunded: 2000 });
    // Stripe's webhook for a partial refund leaves the order paid.
    expect((await h.deliver(h.standIn.event('charge.refunded', h.standIn.chargeOf(order.sessionId)))).statusCode).toBe(200);

    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'paid', payment: 'confirmed', available: 4, messages: ['order.paid', 'order.partially_refunded'] });
    const tickets = await ticketsOfOrder(h.deps.db, order.orderId);
    expect(tickets.map((t) => [t.id, t.status])).toEqual([[first!.id, 'void'], [second!.id, 'valid']]);

    const detail = await admin.admin.getOrder({ orderId: order.orderId });
    expect(detail.refunds).toEqual([expect.objectContaining({ amountCents: 2000, ticketIds: [first!.id], actor: `admin:${user.id}` })]);
    expect(detail.history.at(-1)).toMatchObject({ from: 'paid', to: 'paid', actor: `admin:${user.id}` });
    expect(detail.history.at(-1)!.reason).toContain(first!.code);
    expect(detail.notifications.map((n) => n.type)).toEqual(['order.paid', 'order.partially_refunded']);
    expect(detail.payments).toEqual([expect.objectContaining({ provider: 'stripe', status: 'confirmed', amountCents: 4000 })]);

    // The last ticket: the rest of the money, and the order closes.
    await admin.admin.refundOrder({ orderId: order.orderId, ticketIds: [second!.id] });
    expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'cancelled', payment: 'refunded', available: 5, tickets: ['void', 'void'] });
    expect(h.standIn.chargeOf(order.sessionId)).toMatchObject({ refunded: true, amount_refunded: 4000 });
  });

  it('refunds an amount without voiding, never more than is left, and refuses tickets of another order', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await twoTypes();
    const order = await paidOrder(eventId, ticketTypeIds[1]!, customer(8));
    const other = await paidOrder(eventId, ticketTypeIds[1]!, customer(9), 1);
    const [otherTicket] = await ticketsOfOrder(h.deps.db, other.orderId);

    expect(await admin.admin.refundOrder({ orderId: order.orderId, amountCents: 500 })).toEqual({ status: 'paid', refundedCents: 500 });
    await expect(admin.admin.refundOrder({ orderId: order.orderId, amountCents: 6600 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.admin.refundOrder({ orderId: order.orderId, ticketIds: [otherTicket!.id] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'paid', tickets: ['valid', 'valid'] });
    expect(h.standIn.chargeOf(order.sessionId)).toMatchObject({ amount_refunded: 500 });
  });
});

describe('admin.searchAttendees and admin.renameTicketHolder', () => {
  it('lists holders with their order, finds them by new name after a rename, and records who renamed', async () => {
    const { caller: admin, user } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await twoTypes();
    const order = await paidOrder(eventId, ticketTypeIds[0]!, customer(11));
    const [first] = await ticketsOfOrder(h.deps.db, order.orderId);
    await admin.admin.renameTicketHolder({ orderId: order.orderId, ticketId: first!.id, name: 'Grace Hopper' });
    await expect(admin.admin.renameTicketHolder({ orderId: order.orderId, ticketId: first!.id, name: 'see evil.com' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const all = await admin.admin.searchAttendees({ eventId });
    expect(all.attendees.map((a) => a.attendeeName).sort()).toEqual(['Customer 11', 'Grace Hopper']);
    expect(all.attendees.every((a) => a.orderId === order.orderId && a.checkin === null && a.orderCode.length === 8)).toBe(true);
    expect((await admin.admin.searchAttendees({ eventId, query: 'hop' })).attendees.map((a) => a.id)).toEqual([first!.id]);
    expect((await admin.admin.searchAttendees({ eventId, query: first!.code })).attendees.map((a) => a.id)).toEqual([first!.id]);
    const detail = await admin.admin.getOrder({ orderId: order.orderId });
    expect(detail.history.at(-1)).toMatchObject({ actor: `admin:${user.id}`, reason: `holder of ticket ${first!.code} renamed from "Customer 11" to "Grace Hopper"` });
  });
});
