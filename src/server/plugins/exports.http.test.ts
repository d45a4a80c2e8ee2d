import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, createTicketType } from '../../modules/catalog/index.ts';
import { createUser } from '../../modules/auth/index.ts';
import { enrolDevice } from '../../testing/gate.ts';
import { placeOrder } from '../../modules/orders/index.ts';
import { ticketsOfOrder } from '../../modules/tickets/index.ts';
import { loginCookie, testApp } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';

/* CSV exports: who may fetch them, and that what they say parses back to the rows in the database. */

let database: TestDatabase;
let world: Awaited<ReturnType<typeof testApp>>;
const password = 'correct horse battery staple';
const cookies: Record<'admin' | 'viewer' | 'staff', string> = { admin: '', viewer: '', staff: '' };
let eventId = '';

beforeAll(async () => {
  database = await createTestDatabase();
  world = await testApp(database.db);
  for (const role of ['admin', 'viewer', 'staff'] as const) {
    await createUser(database.db, { email: `${role}@example.com`, password, role });
    cookies[role] = await loginCookie(world.app, `${role}@example.com`, password);
  }
  const { deps } = world;
  ({ eventId } = await createEvent(deps.db, { name: 'Export night', startsAt: '2030-03-29T18:00:00Z', timeZone: 'Europe/Berlin', currency: 'EUR' }));
  const { ticketTypeId } = await createTicketType(deps.db, { eventId, name: 'Standing, "front"', priceCents: 0, capacity: 100 });
  const buyers = [
    { name: 'Zoë Ümlaut', email: 'zoe@example.com' },
    { name: '=HYPERLINK("x")', email: 'formula@example.com' },
    { name: 'Line\nbreak, comma', email: 'multi@example.com' },
  ];
  for (const customer of buyers) await placeOrder(deps, { eventId, customer, lines: [{ ticketTypeId, quantity: 2 }] });
}, 120_000);
afterAll(async () => {
  await world?.app.close();
  await database?.drop();
});

const get = (kind: string, cookie?: string, query = '') =>
  world.app.inject({ method: 'GET', url: `/admin/events/${eventId}/export/${kind}.csv${query}`, headers: cookie ? { cookie } : {} });

describe('GET /admin/events/:eventId/export/*.csv', () => {
  it('is for admins and viewers with a session: anonymous 401, staff 403, a token in the URL counts for nothing', async () => {
    expect((await get('orders')).statusCode).toBe(401);
    expect((await get('orders', undefined, '?token=anything&session=x')).statusCode).toBe(401);
    expect((await get('orders', cookies.staff)).statusCode).toBe(403);
    expect((await get('orders', cookies.viewer)).statusCode).toBe(200);
    expect((await get('tickets', cookies.admin)).statusCode).toBe(404);
    const unknown = await world.app.inject({ method: 'GET', url: `/admin/events/00000000-0000-4000-8000-000000000000/export/orders.csv`, headers: { cookie: cookies.admin } });
    expect(unknown.statusCode).toBe(404);
  });

  it('attendees: UTF-8 with a BOM and a header row, parsing back to the tickets as stored (formulas defused)', async () => {
    const res = await get('attendees', cookies.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="attendees-/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = parse(res.rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(header!.slice(0, 3)).toEqual(['Ticket code', 'Holder', 'Ticket type']);
    expect(header).toContain('Checked in (Europe/Berlin)');

    const stored = (await database.db.execute(`SELECT id FROM orders WHERE event_id = '${eventId}' ORDER BY created_at, id`)) as unknown as { rows: { id: string }[] };
    const expected = (await Promise.all(stored.rows.map((o) => ticketsOfOrder(database.db, o.id)))).flat();
    expect(rows.map((r) => r[0]).sort()).toEqual(expected.map((t) => t.code).sort());
    const holders = rows.map((r) => r[1]);
    expect(holders).toContain('Zoë Ümlaut');
    expect(holders).toContain('Line\nbreak, comma');
    expect(holders).toContain(`'=HYPERLINK("x")`);
    expect(rows.every((r) => r[2] === 'Standing, "front"' && r[3] === 'valid' && r.length === header!.length)).toBe(true);
  });

  it('orders and check-ins: one row per order and per scan, times on the event wall clock', async () => {
    const orders = parse((await get('orders', cookies.viewer)).rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(orders).toHaveLength(4);
    expect(orders[0]![7]).toBe('Placed (Europe/Berlin)');
    expect(orders.slice(1).map((r) => r[3]).sort()).toEqual(['formula@example.com', 'multi@example.com', 'zoe@example.com']);
    expect(orders.slice(1).every((r) => r[1] === 'paid' && r[5] === '0.00' && r[6] === 'EUR')).toBe(true);

    const { caller } = await enrolDevice(world.deps, eventId, 'North gate');
    const [ticket] = (await database.db.execute(`SELECT code FROM tickets WHERE event_id = '${eventId}' LIMIT 1`) as unknown as { rows: { code: string }[] }).rows;
    await caller.checkin.scan({ eventId, code: ticket!.code });
    world.deps.clock.advance(1000);
    await caller.checkin.scan({ eventId, code: ticket!.code });
    const scans = parse((await get('checkins', cookies.admin)).rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(scans.slice(1).map((r) => [r[2], r[5], r[6]])).toEqual([
      ['ok', 'North gate', ticket!.code],
      ['already_checked_in', 'North gate', ticket!.code],
    ]);
  });
});

it('abuse: each user may start RATE_LIMIT_EXPORTS_PER_MINUTE exports a minute, then 429 with Retry-After', async () => {
  const limited = await testApp(database.db, { config: { limits: { ...world.deps.config.limits, exportsPerMinute: 2 } } });
  try {
    const cookie = await loginCookie(limited.app, 'viewer@example.com', password);
    const fetch = () => limited.app.inject({ method: 'GET', url: `/admin/events/${eventId}/export/orders.csv`, headers: { cookie } });
    expect([(await fetch()).statusCode, (await fetch()).statusCode]).toEqual([200, 200]);
    const refused = await fetch();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another user has their own allowance.
    const admin = await loginCookie(limited.app, 'admin@example.com', password);
    expect((await limited.app.inject({ method: 'GET', url: `/admin/events/${eventId}/export/orders.csv`, headers: { cookie: admin } })).statusCode).toBe(200);
  } finally {
    await limited.app.close();
  }
});
