import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, SESSION_COOKIE } from '../modules/auth/index.ts';
import { ticketsOfOrder } from '../modules/tickets/index.ts';
import { testDeps } from '../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { injectTrpc } from '../testing/http.ts';
import { forgedQrOf } from '../testing/ticket-qr.ts';
import { buildApp } from './app.ts';
import { serverLoggerOptions } from './logger.ts';

/*
 * A whole day at the box office over HTTP, with the server's real logger at its most talkative (trace,
 * LOG_REQUESTS) writing JSON into memory; afterwards no secret seen during the run may appear anywhere in
 * the log: passwords (right and wrong), the session cookie, order tokens, download link signatures, QR
 * secrets, the device token.
 */

const lines: string[] = [];
const stream = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(chunk.toString('utf8'));
    done();
  },
});

let database: TestDatabase;
let app: FastifyInstance;
let deps: ReturnType<typeof testDeps>;
/** label → secret value; every one is looked for in the log at the end. */
const secrets = new Map<string, string>();
// A real CHECK constraint that refuses one nonce: a genuine database error inside the scan statement.
const FAILING_NONCE = 'db-error-nonce-0001';

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 4 });
  deps = testDeps(database.db, { config: { logRequests: true, logLevel: 'trace' } });
  app = await buildApp({ deps, logger: { ...serverLoggerOptions(deps.config), stream } });
  await database.db.execute(
    sql.raw(`ALTER TABLE checkins ADD CONSTRAINT log_test_refuses_nonce CHECK (nonce IS DISTINCT FROM '${FAILING_NONCE}') NOT VALID`),
  );
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const ok = <T>(reply: Awaited<ReturnType<typeof injectTrpc>>): T => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body!.result!.data as T;
};

async function scan(deviceToken: string, input: Record<string, unknown>) {
  const res = await app.inject({
    method: 'POST',
    url: '/trpc/checkin.scan',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
    payload: JSON.stringify(input),
  });
  return res.statusCode;
}

describe('logs carry no secrets', () => {
  it('a full flow at trace level leaves no password, cookie, token or QR secret in the log', async () => {
    const email = 'boss@example.com';
    const password = 'the admin password 42';
    const wrongPassword = 'a wrong password guess 17';
    secrets.set('admin password', password).set('wrong password', wrongPassword);
    await createUser(database.db, { email, password, role: 'admin' });

    expect((await injectTrpc(app, 'mutation', 'auth.login', { email, password: wrongPassword })).status).toBe(401);
    const login = await injectTrpc(app, 'mutation', 'auth.login', { email, password });
    const sid = login.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    secrets.set('session cookie', sid);
    const cookie = `${SESSION_COOKIE}=${sid}`;

    const now = deps.clock().getTime();
    const { eventId } = ok<{ eventId: string }>(
      await injectTrpc(app, 'mutation', 'admin.createEvent', { name: 'Log test', startsAt: new Date(now + 7 * 86400_000).toISOString(), currency: 'EUR', smsCountries: ['GB'] }, { cookie }),
    );
    const type = async (name: string, priceCents: number) =>
      ok<{ ticketTypeId: string }>(await injectTrpc(app, 'mutation', 'admin.createTicketType', { eventId, name, priceCents, capacity: 50 }, { cookie }))
        .ticketTypeId;
    const free = await type('Free', 0);
    const priced = await type('Priced', 1500);

    type Placed = { orderId: string; token: string; status: string };
    const order = async (ticketTypeId: string, quantity: number) =>
      ok<Placed>(
        await injectTrpc(app, 'mutation', 'orders.create', {
          eventId,
          customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958' },
          lines: [{ ticketTypeId, quantity }],
        }),
      );
    const freeOrder = await order(free, 2);
    const paidOrder = await order(priced, 3);
    secrets.set('free order token', freeOrder.token).set('priced order token', paidOrder.token);
    expect(paidOrder.status).toBe('pending');
    ok(await injectTrpc(app, 'mutation', 'orders.testPayment', { orderId: paidOrder.orderId, token: paidOrder.token, action: 'pay' }));
    for (const o of [freeOrder, paidOrder]) ok(await injectTrpc(app, 'mutation', 'orders.resendTickets', { orderId: o.orderId, token: o.token }));

    // The order page's download links: their signatures open the tickets for 15 minutes.
    const view = ok<{ ticketsPdfUrl: string; calendarUrl: string }>(await injectTrpc(app, 'mutation', 'orders.get', { orderId: freeOrder.orderId, token: freeOrder.token }));
    for (const link of [view.ticketsPdfUrl, view.calendarUrl]) {
      const url = new URL(link);
      secrets.set(`download signature ${url.pathname}`, url.searchParams.get('signature')!);
      expect((await app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(200);
    }

    const device = ok<{ token: string }>(await injectTrpc(app, 'mutation', 'admin.createDevice', { eventId, name: 'Gate L' }, { cookie }));
    secrets.set('device token', device.token);

    const tickets = [...(await ticketsOfOrder(database.db, freeOrder.orderId)), ...(await ticketsOfOrder(database.db, paidOrder.orderId))];
    expect(tickets).toHaveLength(5);
    for (const [i, t] of tickets.entries()) secrets.set(`QR secret ${i + 1}`, t.secret);
    const [first, second, third, fourth, fifth] = tickets as [(typeof tickets)[number], ...typeof tickets];

    expect(await scan(device.token, { eventId, qr: first.secret })).toBe(200);
    expect(await scan(device.token, { eventId, qr: first.secret })).toBe(200);
    const forged = forgedQrOf(first.secret);
    expect(await scan(device.token, { eventId, qr: forged })).toBe(200);
    expect(await scan(device.token, { eventId, code: second!.code })).toBe(200);
    // Out-of-range device clocks, and a scan the database itself refuses: whatever they answer, nothing leaks.
    await scan(device.token, { eventId, qr: third!.secret, scannedAt: '0000-01-01T00:00:00Z' });
    await scan(device.token, { eventId, qr: fourth!.secret, scannedAt: '9999-12-31T23:59:59-14:00' });
    expect(await scan(device.token, { eventId, qr: fifth!.secret, nonce: FAILING_NONCE })).toBe(500);

    const log = lines.join('');
    // The log really is the talkative one (so an empty log cannot pass), and the database error is in it.
    expect(log).toContain('incoming request');
    const leaked = [...secrets].filter(([, value]) => log.includes(value)).map(([label]) => label);
    expect(leaked).toEqual([]);
    const failures = lines.map((l) => JSON.parse(l) as { msg?: string; err?: Record<string, unknown> }).filter((l) => l.msg === 'procedure failed');
    const refused = failures.find((l) => l.err?.constraint === 'log_test_refuses_nonce');
    expect(refused?.err).toMatchObject({ type: 'DrizzleQueryError', code: '23514', sql: expect.stringContaining('INSERT INTO checkins') });

  });

  it('censors credential headers wherever a log object carries them', () => {
    const headers = { authorization: 'Bearer device-token-xyz', cookie: 'sid=session-xyz', 'x-order-token': 'order-token-xyz', accept: 'text/html' };
    const before = lines.length;
    app.log.warn({ headers, upstream: { headers } }, 'headers seen');
    const logged = lines.slice(before).join('');
    expect(logged).toContain('text/html');
    for (const value of ['device-token-xyz', 'session-xyz', 'order-token-xyz']) expect(logged).not.toContain(value);
  });
});
