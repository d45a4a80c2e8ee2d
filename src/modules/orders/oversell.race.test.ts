import { describe, expect, it } from 'vitest';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { postTrpc } from '../../testing/http.ts';
import { capacityBooks, orderStatusCounts, raceOrders } from '../../testing/race.ts';
import { useServerPair } from '../../testing/server-pair.ts';

/*
 * The no-oversell claim is about a cluster: two real server processes share one PostgreSQL database and
 * take 300 concurrent orders.create calls between them over HTTP.
 */

const cluster = useServerPair();

// The servers run on the system clock, so the event goes on sale now.
const onSaleEvent = (spec: Parameters<typeof createTestEvent>[2]) => createTestEvent(cluster.database.db, new Date(), spec);

const CALLS = 300;
/** CALLS orders from distinct customers, order i asking for lines(i). */
const ordersOf = (eventId: string, lines: (i: number) => unknown[]) =>
  Array.from({ length: CALLS }, (_, i) => ({ eventId, customer: customer(i), lines: lines(i) }));

// Generous timeouts: the machine is shared, and a race is about outcomes, never about speed.
describe('300 concurrent orders over two server processes', { timeout: 300_000 }, () => {
  it('a database URL without ADMIN_* generates no admin password (that is for the embedded default only)', () => {
    for (const s of cluster.servers) {
      expect(s.output()).not.toContain('First admin');
      expect(s.output()).toContain('No admin yet');
    }
  });

  /** 300 racing orders of one ticket each for a type with 100 seats: exactly 100 get through. */
  async function raceForOneHundredSeats(priceCents: number) {
    const { eventId, ticketTypeIds } = await onSaleEvent({ ticketTypes: [{ capacity: 100, priceCents }] });
    const ticketTypeId = ticketTypeIds[0]!;
    const { tally, serverErrors, replies } = await raceOrders(cluster.urls, ordersOf(eventId, () => [{ ticketTypeId, quantity: 1 }]));
    expect(serverErrors).toEqual([]);
    expect(tally).toEqual({ '200': 100, '409 SOLD_OUT': 200 });
    const placed = replies.filter((r) => r.status === 200).map((r) => r.body!.result!.data as { orderId: string; token: string; status: string });
    return { eventId, ticketTypeId, placed };
  }

  it('sell exactly the 100 seats of a free ticket type, the rest SOLD_OUT, no 5xx', async () => {
    const { eventId, ticketTypeId, placed } = await raceForOneHundredSeats(0);
    expect(placed.every((o) => o.status === 'paid')).toBe(true);
    expect(await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeId)).toEqual({ taken: 100, capacity: 100, held: 0, sold: 100, issued: 100 });
    expect(await orderStatusCounts(cluster.database.db, eventId)).toEqual({ paid: 100 });
  });

  it('a priced ticket type: pending holds count, exactly 100 held, the rest SOLD_OUT; paying each twice at once issues once', async () => {
    const { eventId, ticketTypeId, placed } = await raceForOneHundredSeats(2500);
    expect(await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeId)).toEqual({ taken: 100, capacity: 100, held: 100, sold: 0, issued: 0 });
    expect(await orderStatusCounts(cluster.database.db, eventId)).toEqual({ pending: 100 });

    // Every order is paid twice at once, once through each process: exactly one payment counts.
    const payments = await Promise.all(
      placed.flatMap((o) => cluster.urls.map((url) => postTrpc(url, 'orders.testPayment', { orderId: o.orderId, token: o.token, action: 'pay' }))),
    );
    expect(payments.map((p) => p.status).filter((s) => s !== 200)).toEqual([]);
    expect(await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeId)).toEqual({ taken: 100, capacity: 100, held: 0, sold: 100, issued: 100 });
    expect(await orderStatusCounts(cluster.database.db, eventId)).toEqual({ paid: 100 });
  });

  it('an add-on with capacity 50 on an unlimited ticket type: exactly 50 orders', async () => {
    const { eventId, ticketTypeIds, addOnIds } = await onSaleEvent({
      ticketTypes: [{ capacity: null }],
      addOns: [{ capacity: 50 }],
    });
    const line = { ticketTypeId: ticketTypeIds[0]!, quantity: 1, addOns: [{ addOnId: addOnIds[0]!, quantity: 1 }] };
    const { tally, serverErrors } = await raceOrders(cluster.urls, ordersOf(eventId, () => [line]));
    expect(serverErrors).toEqual([]);
    expect(tally).toEqual({ '200': 50, '409 SOLD_OUT': 250 });
    expect(await capacityBooks(cluster.database.db, 'add_on', addOnIds[0]!)).toEqual({ taken: 50, capacity: 50, held: 0, sold: 50, issued: 50 });
    // The refused orders gave their ticket-type units back too.
    expect(await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeIds[0]!)).toEqual({
      taken: 50,
      capacity: null,
      held: 0,
      sold: 50,
      issued: 50,
    });
  });

  it('orders naming two ticket types and two add-ons in opposite orders do not deadlock, and the books add up', async () => {
    const { eventId, ticketTypeIds, addOnIds } = await onSaleEvent({
      ticketTypes: [{ capacity: 120 }, { capacity: 150 }],
      addOns: [{ capacity: 200, maxPerTicket: 2 }, { capacity: null, maxPerTicket: 2 }],
    });
    const [a, b] = ticketTypeIds as [string, string];
    const [x, y] = addOnIds as [string, string];
    const lineA = { ticketTypeId: a, quantity: 1, addOns: [{ addOnId: x, quantity: 1 }, { addOnId: y, quantity: 1 }] };
    const lineB = { ticketTypeId: b, quantity: 1, addOns: [{ addOnId: y, quantity: 2 }, { addOnId: x, quantity: 1 }] };
    const { tally, serverErrors } = await raceOrders(cluster.urls, ordersOf(eventId, (i) => (i % 2 ? [lineA, lineB] : [lineB, lineA])));
    expect(serverErrors).toEqual([]);
    // Each order takes one A, one B and two of add-on x: x (200) runs out at 100 orders, before A (120).
    expect(tally).toEqual({ '200': 100, '409 SOLD_OUT': 200 });
    const books = await Promise.all([
      capacityBooks(cluster.database.db, 'ticket_type', a),
      capacityBooks(cluster.database.db, 'ticket_type', b),
      capacityBooks(cluster.database.db, 'add_on', x),
      capacityBooks(cluster.database.db, 'add_on', y),
    ]);
    expect(books.map((k) => [k.taken, k.sold, k.issued])).toEqual([
      [100, 100, 100],
      [100, 100, 100],
      [200, 200, 200],
      [300, 300, 300],
    ]);
  });
});
