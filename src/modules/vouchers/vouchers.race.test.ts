import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { capacityBooks, orderStatusCounts, raceOrders } from '../../testing/race.ts';
import { useServerPair } from '../../testing/server-pair.ts';
import { createVouchers } from './service.ts';

/*
 * Exactly-once voucher uses are a cluster claim: two real server processes share one PostgreSQL
 * database and take the racing orders.create calls between them over HTTP.
 */

const cluster = useServerPair();

describe('vouchers raced over two server processes', { timeout: 300_000 }, () => {
  it('50 buyers for a 10-use voucher: exactly 10 orders with it, the rest VOUCHER_USED_UP, nothing oversold', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(cluster.database.db, new Date(), { ticketTypes: [{ capacity: 100, priceCents: 2500 }] });
    const ticketTypeId = ticketTypeIds[0]!;
    const { vouchers } = await createVouchers(cluster.database.db, { eventId, codes: ['TEN-USES'], discount: { percent: 20 }, maxUses: 10 }, new Date());
    const inputs = Array.from({ length: 50 }, (_, i) => ({ eventId, customer: customer(i), lines: [{ ticketTypeId, quantity: 1 }], voucher: 'ten-uses' }));
    const { tally, serverErrors } = await raceOrders(cluster.urls, inputs);
    expect(serverErrors).toEqual([]);
    expect(tally).toEqual({ '200': 10, '409 VOUCHER_USED_UP': 40 });
    const [v] = await queryRows<{ uses: number }>(cluster.database.db, sql`select uses from vouchers where id = ${vouchers[0]!.id}`);
    expect(v!.uses).toBe(10);
    const totals = await queryRows<{ total_cents: number }>(cluster.database.db, sql`select total_cents from orders where event_id = ${eventId}`);
    expect(totals.map((t) => t.total_cents)).toEqual(Array(10).fill(2000));
    expect(await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeId)).toEqual({ taken: 10, capacity: 100, held: 10, sold: 0, issued: 0 });
    expect(await orderStatusCounts(cluster.database.db, eventId)).toEqual({ pending: 10 });
  });

  it('60 public buyers and 20 voucher holders for 30 seats, 10 held back: the public never gets more than 20', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(cluster.database.db, new Date(), { ticketTypes: [{ capacity: 30, priceCents: 0 }] });
    const ticketTypeId = ticketTypeIds[0]!;
    await createVouchers(
      cluster.database.db,
      { eventId, codes: ['CREW'], discount: { priceCents: 0 }, maxUses: 20, ticketTypeIds: [ticketTypeId], reservedQuantity: 10 },
      new Date(),
    );
    const lines = [{ ticketTypeId, quantity: 1 }];
    const inputs = Array.from({ length: 80 }, (_, i) => ({ eventId, customer: customer(i), lines, ...(i % 4 === 0 ? { voucher: 'CREW' } : {}) }));
    const { tally, serverErrors, replies } = await raceOrders(cluster.urls, inputs);
    expect(serverErrors).toEqual([]);
    expect(tally['200']).toBe(30);
    const won = (voucher: boolean) => replies.filter((r, i) => r.status === 200 && ('voucher' in inputs[i]!) === voucher).length;
    expect(won(false)).toBeLessThanOrEqual(20);
    expect(won(true)).toBeGreaterThanOrEqual(10);
    expect(await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeId)).toEqual({ taken: 30, capacity: 30, held: 0, sold: 30, issued: 30 });
  });
});
