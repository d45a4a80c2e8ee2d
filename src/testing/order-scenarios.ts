import { expect } from 'vitest';
import { getPublicEvent } from '../modules/catalog/index.ts';
import { expireOverdueOrders, getOrder, placeOrder } from '../modules/orders/index.ts';
import { completeTestPayment } from '../modules/orders/service.ts';
import { AppError } from '../shared/errors.ts';
import type { testDeps } from './app.ts';
import { createTestEvent, customer } from './fixtures.ts';

/*
 * The ordering use cases as scenario functions, so the same checks run on PostgreSQL
 * (orders/service.test.ts) and on embedded PGlite (db/pglite.smoke.test.ts).
 */

type Deps = ReturnType<typeof testDeps>;

const availability = async (deps: Deps, eventId: string) => {
  const event = await getPublicEvent(deps.db, eventId, deps.clock());
  return { ticketTypes: event.ticketTypes.map((t) => t.available), addOns: event.addOns.map((a) => a.available) };
};

const appCode = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

export const orderScenarios: Record<string, (deps: Deps) => Promise<void>> = {
  async 'a free order is paid at once, one ticket per unit with its add-ons'(deps) {
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(deps.db, deps.clock(), {
      ticketTypes: [{ capacity: 10 }],
      addOns: [{ capacity: 5, maxPerTicket: 2 }],
    });
    const placed = await placeOrder(deps, {
      eventId,
      customer: customer(),
      lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2, addOns: [{ addOnId: addOnIds[0]!, quantity: 2 }] }],
    });
    expect(placed.status).toBe('paid');
    expect(placed.paymentUrl).toBeUndefined();
    const order = await getOrder(deps, { orderId: placed.orderId, token: placed.token });
    expect(order.tickets).toHaveLength(2);
    expect(order.tickets[0]!.code).toMatch(/^\d{6}$/);
    expect(order.tickets[0]!.addOns).toEqual([{ name: 'Add-on 1', quantity: 2 }]);
    expect(await availability(deps, eventId)).toEqual({ ticketTypes: [8], addOns: [1] });
  },

  async 'a priced order holds its capacity, is paid through the test provider, and refuses a wrong token'(deps) {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity: 3 }] });
    const placed = await placeOrder(deps, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 3 }] });
    expect(placed.status).toBe('pending');
    expect(placed.paymentUrl).toContain(`/orders/${placed.orderId}/pay#token=`);
    expect((await availability(deps, eventId)).ticketTypes).toEqual([0]);
    expect(await appCode(getOrder(deps, { orderId: placed.orderId, token: 'x'.repeat(43) }))).toBe('NOT_FOUND');
    expect(await getOrder(deps, placed)).toMatchObject({ status: 'pending', totalCents: 4500, tickets: [] });
    await completeTestPayment(deps, { ...placed, action: 'pay' });
    const after = await getOrder(deps, placed);
    expect(after.status).toBe('paid');
    expect(after.tickets).toHaveLength(3);
    // Paying twice is harmless.
    await completeTestPayment(deps, { ...placed, action: 'pay' });
    expect((await getOrder(deps, placed)).tickets).toHaveLength(3);
  },

  async 'SOLD_OUT refuses what is not there and changes nothing'(deps) {
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(deps.db, deps.clock(), {
      ticketTypes: [{ capacity: 2 }],
      addOns: [{ capacity: 1 }],
    });
    const line = { ticketTypeId: ticketTypeIds[0]!, quantity: 3 };
    expect(await appCode(placeOrder(deps, { eventId, customer: customer(), lines: [line] }))).toBe('SOLD_OUT');
    const withAddOns = { ticketTypeId: ticketTypeIds[0]!, quantity: 2, addOns: [{ addOnId: addOnIds[0]!, quantity: 1 }] };
    expect(await appCode(placeOrder(deps, { eventId, customer: customer(), lines: [withAddOns] }))).toBe('SOLD_OUT');
    expect(await availability(deps, eventId)).toEqual({ ticketTypes: [2], addOns: [1] });
  },

  async 'expired holds give their capacity back at once; a late payment loses to a newer order'(deps) {
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(deps.db, deps.clock(), {
      ticketTypes: [{ priceCents: 100, capacity: 1 }],
      addOns: [{ capacity: 1 }],
      holdMinutes: 10,
    });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1, addOns: [{ addOnId: addOnIds[0]!, quantity: 1 }] }];
    const first = await placeOrder(deps, { eventId, customer: customer(1), lines });
    expect(await appCode(placeOrder(deps, { eventId, customer: customer(2), lines }))).toBe('SOLD_OUT');
    deps.clock.advance(10 * 60_000 - 1);
    expect(await availability(deps, eventId)).toEqual({ ticketTypes: [0], addOns: [0] });
    deps.clock.advance(1);
    // No sweeper has run: the expired hold stops counting the moment it runs out.
    expect(await availability(deps, eventId)).toEqual({ ticketTypes: [1], addOns: [1] });
    const second = await placeOrder(deps, { eventId, customer: customer(2), lines });
    expect((await getOrder(deps, first)).status).toBe('expired');
    expect(await appCode(completeTestPayment(deps, { ...first, action: 'pay' }))).toBe('ORDER_EXPIRED');
    await completeTestPayment(deps, { ...second, action: 'pay' });
    expect(await availability(deps, eventId)).toEqual({ ticketTypes: [0], addOns: [0] });
  },

  async 'the sweeper expires overdue orders; a late payment is honoured while capacity is free'(deps) {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 100, capacity: 5 }] });
    const placed = await placeOrder(deps, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
    deps.clock.advance(16 * 60_000);
    expect(await expireOverdueOrders(deps.db, deps.clock())).toBeGreaterThanOrEqual(1);
    expect((await getOrder(deps, placed)).status).toBe('expired');
    expect((await availability(deps, eventId)).ticketTypes).toEqual([5]);
    await completeTestPayment(deps, { ...placed, action: 'pay' });
    expect((await getOrder(deps, placed)).status).toBe('paid');
    expect((await availability(deps, eventId)).ticketTypes).toEqual([3]);
  },

  async 'a cancelled checkout gives its capacity back and can no longer be paid'(deps) {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 900, capacity: 2 }] });
    const placed = await placeOrder(deps, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
    expect(await completeTestPayment(deps, { ...placed, action: 'cancel' })).toEqual({ status: 'cancelled' });
    expect((await availability(deps, eventId)).ticketTypes).toEqual([2]);
    expect(await appCode(completeTestPayment(deps, { ...placed, action: 'pay' }))).toBe('ORDER_NOT_PAYABLE');
    expect(await getOrder(deps, placed)).toMatchObject({ status: 'cancelled', tickets: [], payment: { status: 'cancelled' } });
  },
};
