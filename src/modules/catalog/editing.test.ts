import { describe, expect, it } from 'vitest';
import { userCaller } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { getOrder, placeOrder } from '../orders/index.ts';
import { getPublicEvent } from './index.ts';

/* Editing ticket types and add-ons after sales began, and cancelling an event (refunds through Stripe). */

const h = useStripeHarness();
const publicEvent = (eventId: string) => getPublicEvent(h.deps.db, eventId, h.deps.clock());

async function pay(order: { sessionId: string }) {
  const { session } = h.standIn.completeSession(order.sessionId);
  expect((await h.deliver(h.standIn.event('checkout.session.completed', session))).statusCode).toBe(200);
}

describe('admin.updateTicketType / admin.updateAddOn', () => {
  it('a new price applies to new orders only; name, hidden and order change what the storefront shows', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(h.deps.db, h.deps.clock(), {
      ticketTypes: [{ name: 'Early', priceCents: 1000 }, { name: 'Late', priceCents: 3000 }],
      addOns: [{ name: 'Drink', priceCents: 300 }],
    });
    const before = await h.place({ eventId, customer: customer(1), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    expect(await admin.admin.updateTicketType({ ticketTypeId: ticketTypeIds[0]!, priceCents: 1500, name: 'Early bird' })).toEqual({ ticketTypeId: ticketTypeIds[0], eventId });
    const after = await h.place({ eventId, customer: customer(2), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    expect((await getOrder(h.deps, before)).totalCents).toBe(1000);
    expect((await getOrder(h.deps, after)).lines[0]).toMatchObject({ ticketTypeName: 'Early bird', unitPriceCents: 1500 });

    await admin.admin.updateTicketType({ ticketTypeId: ticketTypeIds[1]!, position: 0 });
    await admin.admin.updateTicketType({ ticketTypeId: ticketTypeIds[0]!, position: 1 });
    expect((await publicEvent(eventId)).ticketTypes.map((t) => t.name)).toEqual(['Late', 'Early bird']);
    await admin.admin.updateTicketType({ ticketTypeId: ticketTypeIds[1]!, hidden: true });
    await admin.admin.updateAddOn({ addOnId: addOnIds[0]!, hidden: true, priceCents: 400 });
    const shown = await publicEvent(eventId);
    expect(shown.ticketTypes.map((t) => t.name)).toEqual(['Early bird']);
    expect(shown.addOns).toEqual([]);
    await expect(placeOrder(h.deps, { eventId, customer: customer(3), lines: [{ ticketTypeId: ticketTypeIds[1]!, quantity: 1 }] })).rejects.toThrow();
    await expect(admin.admin.updateTicketType({ ticketTypeId: ticketTypeIds[0]!, priceCents: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Naming no field changes nothing, and says so without an error.
    expect(await admin.admin.updateTicketType({ ticketTypeId: ticketTypeIds[0]! })).toEqual({ ticketTypeId: ticketTypeIds[0], eventId });
    expect(await admin.admin.updateAddOn({ addOnId: addOnIds[0]! })).toMatchObject({ addOnId: addOnIds[0], eventId });
  });

  it('capacity is never set below what is sold or held, also while orders race the edit', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 0, capacity: 20 }] });
    const ticketTypeId = ticketTypeIds[0]!;
    await placeOrder(h.deps, { eventId, customer: customer(4), lines: [{ ticketTypeId, quantity: 3 }] });
    await expect(admin.admin.updateTicketType({ ticketTypeId, capacity: 2 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: '3 are already sold or held: the capacity cannot be lower' });
    await admin.admin.updateTicketType({ ticketTypeId, capacity: 3 });
    expect((await publicEvent(eventId)).ticketTypes[0]!.available).toBe(0);
    await admin.admin.updateTicketType({ ticketTypeId, capacity: 20 });

    // Every outcome named: an order either sells or is SOLD_OUT, an edit either applies or is refused as too low.
    const codeOf = (err: unknown) => (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    const orders = Array.from({ length: 12 }, (_, i) =>
      placeOrder(h.deps, { eventId, customer: customer(10 + i), lines: [{ ticketTypeId, quantity: 1 }] }).then(() => 'sold', codeOf),
    );
    const edits = [8, 10, 12].map((capacity) => admin.admin.updateTicketType({ ticketTypeId, capacity }).then(() => capacity, codeOf));
    const [sold, applied] = await Promise.all([Promise.all(orders), Promise.all(edits)]);
    expect(sold.filter((r) => r !== 'sold' && r !== 'SOLD_OUT')).toEqual([]);
    expect(applied.filter((r) => typeof r !== 'number' && r !== 'VALIDATION')).toEqual([]);
    const type = (await admin.admin.getEvent({ eventId })).ticketTypes[0]!;
    expect(type.taken).toBe(3 + sold.filter((r) => r === 'sold').length);
    expect(type.taken).toBeLessThanOrEqual(type.capacity!);
    expect(applied).toContain(type.capacity);
  });
});

describe('admin.cancelEvent', () => {
  it('stops sales, refunds every paid order through Stripe, cancels pending ones, tells each customer; a second call changes nothing', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 2000, capacity: 10 }] });
    const paid = [];
    for (const n of [1, 2]) {
      const order = await h.place({ eventId, customer: customer(n), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
      await pay(order);
      paid.push(order);
    }
    const pending = await h.place({ eventId, customer: customer(3), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });

    expect(await admin.admin.cancelEvent({ eventId, reason: 'storm warning' })).toEqual({ refunded: 2, cancelled: 1, failed: 0, remaining: 0 });
    for (const order of paid) {
      const detail = await admin.admin.getOrder({ orderId: order.orderId });
      expect(detail).toMatchObject({ status: 'cancelled', payments: [{ status: 'refunded' }], tickets: [{ status: 'void' }] });
      expect(detail.notifications.map((n) => n.type)).toEqual(['order.paid', 'order.refunded']);
      expect(h.standIn.chargeOf(order.sessionId)).toMatchObject({ refunded: true });
    }
    expect((await getOrder(h.deps, pending)).status).toBe('cancelled');
    const event = await admin.admin.getEvent({ eventId });
    expect(event).toMatchObject({ published: false, saleStatus: 'unpublished' });
    expect(event.cancelledAt).not.toBeNull();
    await expect(placeOrder(h.deps, { eventId, customer: customer(4), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] })).rejects.toThrow();

    const refunds = h.standIn.requestsTo('POST', '/v1/refunds').length;
    expect(await admin.admin.cancelEvent({ eventId })).toEqual({ refunded: 0, cancelled: 0, failed: 0, remaining: 0 });
    expect(h.standIn.requestsTo('POST', '/v1/refunds')).toHaveLength(refunds);
  });
});
