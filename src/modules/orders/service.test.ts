import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testDeps } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { getPublicEvent } from '../catalog/index.ts';
import { AppError } from '../../shared/errors.ts';
import { completeTestPayment, getOrder, placeOrder } from './service.ts';
import { expireOverdueOrders } from './lifecycle.ts';

let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db);
});
afterAll(() => database?.drop());

const available = async (eventId: string) =>
  (await getPublicEvent(deps.db, eventId, deps.clock())).ticketTypes.map((t) => t.available);

const appCode = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('placeOrder', () => {
  it('pays a free order at once and issues one ticket per unit with add-ons', async () => {
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
    expect(await available(eventId)).toEqual([8]);
    const event = await getPublicEvent(deps.db, eventId, deps.clock());
    expect(event.addOns[0]!.available).toBe(1);
  });

  it('holds a priced order, pays it through the test provider, and refuses a wrong token', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity: 3 }] });
    const placed = await placeOrder(deps, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 3 }] });
    expect(placed.status).toBe('pending');
    expect(placed.paymentUrl).toContain(`/orders/${placed.orderId}/pay#token=`);
    expect(await available(eventId)).toEqual([0]);
    expect(await appCode(getOrder(deps, { orderId: placed.orderId, token: 'x'.repeat(43) }))).toBe('NOT_FOUND');
    const before = await getOrder(deps, { orderId: placed.orderId, token: placed.token });
    expect(before).toMatchObject({ status: 'pending', totalCents: 4500, tickets: [] });
    await completeTestPayment(deps, { orderId: placed.orderId, token: placed.token, action: 'pay' });
    const after = await getOrder(deps, { orderId: placed.orderId, token: placed.token });
    expect(after.status).toBe('paid');
    expect(after.tickets).toHaveLength(3);
    // Paying twice is harmless.
    await completeTestPayment(deps, { orderId: placed.orderId, token: placed.token, action: 'pay' });
    expect((await getOrder(deps, { orderId: placed.orderId, token: placed.token })).tickets).toHaveLength(3);
  });

  it('refuses what is not there with SOLD_OUT and changes nothing', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 2 }] });
    const line = { ticketTypeId: ticketTypeIds[0]!, quantity: 3 };
    expect(await appCode(placeOrder(deps, { eventId, customer: customer(), lines: [line] }))).toBe('SOLD_OUT');
    expect(await available(eventId)).toEqual([2]);
  });

  it('gives expired holds back at once, and pays a late payment only while capacity lasts', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 100, capacity: 1 }] });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }];
    const first = await placeOrder(deps, { eventId, customer: customer(1), lines });
    expect(await appCode(placeOrder(deps, { eventId, customer: customer(2), lines }))).toBe('SOLD_OUT');
    deps.clock.advance(15 * 60_000);
    expect(await available(eventId)).toEqual([1]);
    const second = await placeOrder(deps, { eventId, customer: customer(2), lines });
    expect((await getOrder(deps, { orderId: first.orderId, token: first.token })).status).toBe('expired');
    expect(await appCode(completeTestPayment(deps, { orderId: first.orderId, token: first.token, action: 'pay' }))).toBe('ORDER_EXPIRED');
    await completeTestPayment(deps, { orderId: second.orderId, token: second.token, action: 'pay' });
    expect(await available(eventId)).toEqual([0]);
  });

  it('the sweeper expires overdue orders, and a late payment is honoured when capacity is still free', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 100, capacity: 5 }] });
    const placed = await placeOrder(deps, { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
    deps.clock.advance(16 * 60_000);
    expect(await expireOverdueOrders(deps.db, deps.clock())).toBeGreaterThanOrEqual(1);
    expect(await available(eventId)).toEqual([5]);
    await completeTestPayment(deps, { orderId: placed.orderId, token: placed.token, action: 'pay' });
    expect((await getOrder(deps, placed)).status).toBe('paid');
    expect(await available(eventId)).toEqual([3]);
  });
});
