import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { testConfig } from '../../config.ts';
import { buildApp } from '../../server/app.ts';
import { LOAD_TEST_KEY_HEADER } from '../../shared/load-test-key.ts';
import { loginCookie, testDeps, userCaller } from '../../testing/app.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { injectTrpc } from '../../testing/http.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { checkinResults } from '../../trpc/metrics.ts';
import { countOrdersByStatus } from './index.ts';

/*
 * A load-test event's key lifts per-address and per-recipient limits for calls about that event only: it
 * does nothing for another event, and a wrong key does nothing at all. The event is unlisted, its orders
 * send no messages and are not counted, and only load-test events can be removed by the admin procedure.
 */
const suite = useTestDatabase();
let app: FastifyInstance;
afterAll(() => app?.close());

type Reply = Awaited<ReturnType<typeof injectTrpc>>;
const outcome = (r: Reply) => (r.status === 200 ? 'OK' : (r.body?.error?.data.appCode ?? r.body?.error?.data.code ?? String(r.status)));
const data = <T>(r: Reply) => (r.body?.result?.data ?? expect.fail(`${r.status} ${JSON.stringify(r.body)}`)) as T;

describe('load-test events', () => {
  it('the key exempts only its own event; removal voids it all, messages and figures leave it out', async () => {
    // Tight limits: 2 free orders per address an hour, 1 per recipient, 1 order-page read per 10 s.
    const limits = { ...testConfig().limits, freeOrdersPerIpPerHour: 2, freeOrdersPerRecipientPerHour: 1, ordersPerIpPerMinute: 3, ordersPerBuyerPerMinute: 2, orderReadsPerMinute: 6 };
    const deps = testDeps(suite.database.db, { config: { limits } });
    app = await buildApp({ deps });
    const real = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 100 }] });
    const admin = await userCaller(deps, 'admin');
    const cookie = await loginCookie(app, admin.email, admin.password);
    const staff = await userCaller(deps, 'staff');
    const staffCookie = await loginCookie(app, staff.email, staff.password);

    const create = { label: 'abuse test', ticketTypes: [{ name: 'Hot', capacity: 1000 }] };
    expect(outcome(await injectTrpc(app, 'mutation', 'admin.createLoadTestEvent', create, { cookie: staffCookie }))).toBe('FORBIDDEN');
    const made = data<{ eventId: string; ticketTypeIds: string[]; loadTestKey: string }>(
      await injectTrpc(app, 'mutation', 'admin.createLoadTestEvent', create, { cookie }),
    );
    const key = { [LOAD_TEST_KEY_HEADER]: made.loadTestKey };
    const wrongKey = { [LOAD_TEST_KEY_HEADER]: made.loadTestKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    const order = (eventId: string, ticketTypeId: string, email: string, opts: { headers?: Record<string, string>; remoteAddress?: string }) =>
      injectTrpc(app, 'mutation', 'orders.create', { eventId, customer: { name: 'Load', email }, lines: [{ ticketTypeId, quantity: 2 }] }, opts);
    const lt = (email: string, opts: Parameters<typeof order>[3]) => order(made.eventId, made.ticketTypeIds[0]!, email, opts);
    const realOrder = (email: string, opts: Parameters<typeof order>[3]) => order(real.eventId, real.ticketTypeIds[0]!, email, opts);

    // With its key, one address and one recipient order far past every limit — for the load-test event.
    const placed: Reply[] = [];
    for (let i = 0; i < 8; i++) placed.push(await lt('crowd@example.com', { headers: key, remoteAddress: '10.0.0.1' }));
    expect(placed.map(outcome)).toEqual(Array(8).fill('OK'));
    // The same key for a real event: limited as anyone (1 per recipient, 2 free per address).
    const other = [await realOrder('a@example.com', { headers: key, remoteAddress: '10.0.0.1' }), await realOrder('a@example.com', { headers: key, remoteAddress: '10.0.0.1' })];
    expect(other.map(outcome)).toEqual(['OK', 'RATE_LIMITED']);
    // A wrong key (or none) for the load-test event: limited as anyone.
    const guessed = [];
    for (let i = 0; i < 3; i++) guessed.push(await lt(`g${i}@example.com`, { headers: wrongKey, remoteAddress: '10.0.0.2' }));
    expect(guessed.map(outcome)).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    expect(outcome(await lt('n@example.com', { remoteAddress: '10.0.0.2' }))).toBe('RATE_LIMITED');

    // Order pages: the key's own orders read as often as the generator likes; another event's order once per 10 s.
    const ltOrder = data<{ orderId: string; token: string }>(placed[0]!);
    const realPlaced = data<{ orderId: string; token: string }>(other[0]!);
    const read = (o: { orderId: string; token: string }, headers?: Record<string, string>, remoteAddress = '10.0.0.3') =>
      injectTrpc(app, 'mutation', 'orders.get', { orderId: o.orderId, token: o.token }, { headers, remoteAddress });
    const reads = [];
    for (let i = 0; i < 5; i++) reads.push(outcome(await read(ltOrder, key)));
    expect(reads).toEqual(Array(5).fill('OK'));
    expect([outcome(await read(realPlaced, key)), outcome(await read(realPlaced, key))]).toEqual(['OK', 'RATE_LIMITED']);
    expect(outcome(await read(ltOrder, wrongKey))).toBe('RATE_LIMITED');

    // Not listed anywhere, no outbox row for its orders (the real order has one), not in the orders gauge.
    const listed = data<{ id: string }[]>(await injectTrpc(app, 'query', 'catalog.listEvents'));
    expect(listed.map((e) => e.id)).toContain(real.eventId);
    expect(listed.map((e) => e.id)).not.toContain(made.eventId);
    const adminListed = data<{ id: string }[]>(await injectTrpc(app, 'query', 'admin.listEvents', undefined, { cookie }));
    expect(adminListed.map((e) => e.id)).not.toContain(made.eventId);
    const outbox = await rows<{ order_id: string }>(sql`SELECT payload->>'orderId' AS order_id FROM outbox_messages`);
    expect(outbox.map((r) => r.order_id)).toContain(realPlaced.orderId);
    expect(outbox.map((r) => r.order_id)).not.toContain(ltOrder.orderId);
    const paidCounted = (await countOrdersByStatus(deps.db)).find((r) => r.status === 'paid')?.count;
    expect(paidCounted).toBe(1); // the real event's order; none of the 10 load-test orders

    // Removal refuses a real event; for the load-test event it cancels every order and voids every ticket.
    const removeReal = await injectTrpc(app, 'mutation', 'admin.removeLoadTestEvent', { eventId: real.eventId }, { cookie });
    expect(outcome(removeReal)).toBe('FORBIDDEN');
    const device = data<{ token: string }>(await injectTrpc(app, 'mutation', 'admin.createDevice', { eventId: made.eventId, name: 'Gate LT' }, { cookie }));
    // A scan at the load-test event is answered but not counted in the check-in results figure.
    const scansCounted = async () => (await checkinResults.get()).values.reduce((n, v) => n + v.value, 0);
    const counted = await scansCounted();
    // (From another address: 10.0.0.3's refused reads are answered early for a while, key or not.)
    const ticket = data<{ tickets: { qrText: string }[] }>(await read(ltOrder, key, '10.0.0.4')).tickets[0]!;
    const scan = await injectTrpc(app, 'mutation', 'checkin.scan', { eventId: made.eventId, qr: ticket.qrText }, { headers: { authorization: `Bearer ${device.token}` } });
    expect(data<{ result: string }>(scan).result).toBe('ok');
    expect(await scansCounted()).toBe(counted);
    const removed = data<{ ordersLeft: number; devicesRevoked: number }>(
      await injectTrpc(app, 'mutation', 'admin.removeLoadTestEvent', { eventId: made.eventId }, { cookie }),
    );
    expect(removed).toMatchObject({ ordersLeft: 0, devicesRevoked: 1 });
    const [left] = await rows<{ open: number; valid: number; outbox: number }>(
      sql`SELECT (SELECT count(*)::int FROM orders WHERE event_id = ${made.eventId} AND status IN ('pending', 'paid')) AS open,
                 (SELECT count(*)::int FROM tickets WHERE event_id = ${made.eventId} AND status = 'valid') AS valid,
                 (SELECT count(*)::int FROM outbox_messages WHERE payload->>'orderId' IN (SELECT id::text FROM orders WHERE event_id = ${made.eventId})) AS outbox`,
    );
    expect(left).toEqual({ open: 0, valid: 0, outbox: 0 });
    expect(outcome(await injectTrpc(app, 'query', 'catalog.getEvent', { eventId: made.eventId }))).toBe('NOT_FOUND');
    expect(outcome(await injectTrpc(app, 'query', 'checkin.whoami', undefined, { headers: { authorization: `Bearer ${device.token}` } }))).toBe('DEVICE_REVOKED');
    // The real event is untouched: its paid orders stay paid.
    const [realLeft] = await rows<{ paid: number }>(sql`SELECT count(*)::int AS paid FROM orders WHERE event_id = ${real.eventId} AND status = 'paid'`);
    expect(realLeft!.paid).toBe(1);
  });
});

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await suite.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}
