import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { capacityBooks, orderStatusCounts } from '../../testing/race.ts';
import { AppError } from '../../shared/errors.ts';
import { expireOverdueOrders } from './lifecycle.ts';
import { completeTestPayment, getOrder, placeOrder } from './service.ts';
import { useTestDatabase } from '../../testing/suite.ts';

/*
 * Expiry under contention, on one movable clock: after the holds run out, new orders, late payments of
 * the expired orders, page views and the sweeper all race for the same seats. Nothing is sold twice,
 * nothing deadlocks, and every unit is accounted for.
 */

const suite = useTestDatabase(() => createTestDatabase({ poolSize: 12 }));

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `crash: ${String(e)}`),
  );

describe('expired holds under contention', () => {
  // With 5 newcomers at least 5 late payments must win; with 30 the newcomers may take every seat.
  it.each([5, 30])('10 late payments, %i new orders, order views and the sweeper never sell a seat twice', async (newcomers) => {
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), {
      ticketTypes: [{ priceCents: 1000, capacity: 10 }],
      addOns: [{ priceCents: 100, capacity: 10 }],
      holdMinutes: 15,
    });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1, addOns: [{ addOnId: addOnIds[0]!, quantity: 1 }] }];
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => placeOrder(suite.deps, { eventId, customer: customer(i), lines })));
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(99), lines }))).toBe('SOLD_OUT');

    suite.deps.clock.advance(15 * 60_000);
    const results = await Promise.all([
      ...first.map((o) => outcome(completeTestPayment(suite.deps, { ...o, action: 'pay' }))),
      ...Array.from({ length: newcomers }, (_, i) => outcome(placeOrder(suite.deps, { eventId, customer: customer(100 + i), lines }))),
      ...first.map((o) => outcome(getOrder(suite.deps, o))),
      outcome(expireOverdueOrders(suite.deps.db, suite.deps.clock())),
    ]);
    expect(results.filter((r) => r.startsWith('crash'))).toEqual([]);
    const [latePayments, newOrders] = [results.slice(0, 10), results.slice(10, 10 + newcomers)];
    const placed = newOrders.filter((r) => r === 'ok').length;
    const paidLate = latePayments.filter((r) => r === 'ok').length;
    expect(placed + paidLate).toBe(10);
    expect(paidLate).toBeGreaterThanOrEqual(10 - newcomers);
    expect(newOrders.filter((r) => r !== 'ok').every((r) => r === 'SOLD_OUT')).toBe(true);
    expect(latePayments.filter((r) => r !== 'ok').every((r) => r === 'ORDER_EXPIRED')).toBe(true);

    const counts = await orderStatusCounts(suite.database.db, eventId);
    const expected = { paid: paidLate, pending: placed, expired: 10 - paidLate };
    expect(counts).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
    for (const [kind, id] of [['ticket_type', ticketTypeIds[0]!], ['add_on', addOnIds[0]!]] as const) {
      expect(await capacityBooks(suite.database.db, kind, id)).toEqual({ taken: 10, capacity: 10, held: placed, sold: paidLate, issued: paidLate });
    }
  });
});
