import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { searchAttendees, searchOrders } from '../src/modules/orders/console.ts';
import { systemClock } from '../src/shared/clock.ts';
import { createTestDatabase } from '../src/testing/db.ts';
import { createTestEvent } from '../src/testing/fixtures.ts';

/*
 * The organizer's order search on a big event: 100,000 orders (two tickets each) made by the database,
 * then each kind of search timed in-process against PostgreSQL (median of 20), first page and a deep
 * page.
 *
 *   npm run loadtest:search -- [--orders 100000]
 */
const { values: args } = parseArgs({ options: { orders: { type: 'string', default: '100000' } } });
const ORDERS = Number(args.orders);

const database = await createTestDatabase();
try {
  const db = database.db;
  const { eventId, ticketTypeIds } = await createTestEvent(db, systemClock(), { ticketTypes: [{ capacity: null }] });
  console.error(`seeding ${ORDERS} orders…`);
  const names = sql`(ARRAY['Anna','Ben','Chloé','David','Emma','Farid','Greta','Hiro','Ines','Jonas'])[1 + g % 10] || ' ' || (ARRAY['Smith','Müller','Rossi','Dubois','Kowalski','Tanaka','Silva','Novak'])[1 + (g / 10) % 8] || ' ' || g`;
  // In chunks: each statement stays well inside the query timeout on a busy box.
  const CHUNK = 5000;
  for (let from = 1; from <= ORDERS; from += CHUNK) {
    const to = Math.min(ORDERS, from + CHUNK - 1);
    await db.execute(sql`WITH o AS (
      INSERT INTO orders (id, code, event_id, status, customer_name, customer_email, total_cents, currency, token_hash, expires_at, created_at)
      SELECT gen_random_uuid(), 'Z' || translate(lpad(g::text, 7, '0'), '0123456789', 'ABCDEFGHJK'), ${eventId}::uuid,
        CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'paid' END, ${names}, 'buyer' || g || '@example.com', 2000, 'EUR', md5(g::text), now(),
        now() - (g || ' seconds')::interval
      FROM generate_series(${from}::int, ${to}::int) g
      RETURNING id, event_id, customer_name, code)
    INSERT INTO tickets (id, event_id, order_id, ticket_type_id, ticket_type_name, attendee_name, code, secret, status)
    SELECT gen_random_uuid(), o.event_id, o.id, ${ticketTypeIds[0]!}::uuid, 'Standard', o.customer_name || CASE WHEN n = 2 THEN ' Guest' ELSE '' END,
      lpad((${(from - 1) * 2}::int + row_number() OVER ())::text, 7, '0'), md5(o.id::text || n), 'valid'
    FROM o, generate_series(1, 2) n`);
  }
  await db.execute(sql`ANALYZE orders; ANALYZE tickets`);
  const someOrder = ((await db.execute(sql`SELECT code FROM orders WHERE event_id = ${eventId}::uuid OFFSET 54321 LIMIT 1`)) as unknown as { rows: { code: string }[] }).rows[0]!.code;
  const someTicket = ((await db.execute(sql`SELECT code FROM tickets WHERE event_id = ${eventId}::uuid OFFSET 76543 LIMIT 1`)) as unknown as { rows: { code: string }[] }).rows[0]!.code;

  const median = async (fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return Math.round(times.sort((a, b) => a - b)[10]! * 10) / 10;
  };
  let deep: string | undefined;
  for (let i = 0; i < 40; i++) deep = (await searchOrders(db, { eventId, cursor: deep })).nextCursor ?? undefined;
  const report = {
    benchmark: 'search',
    orders: ORDERS,
    tickets: ORDERS * 2,
    medianMs: {
      firstPage: await median(() => searchOrders(db, { eventId })),
      page41: await median(() => searchOrders(db, { eventId, cursor: deep })),
      byOrderCode: await median(() => searchOrders(db, { eventId, query: someOrder })),
      byTicketCode: await median(() => searchOrders(db, { eventId, query: someTicket })),
      byNamePrefix: await median(() => searchOrders(db, { eventId, query: 'greta müll' })),
      byEmail: await median(() => searchOrders(db, { eventId, query: 'buyer77777@example.com' })),
      byStatus: await median(() => searchOrders(db, { eventId, status: 'cancelled' })),
      attendeesByName: await median(() => searchAttendees(db, { eventId, query: 'hiro guest' })),
    },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await database.drop();
}
