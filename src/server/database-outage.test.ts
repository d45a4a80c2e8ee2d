import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../config.ts';
import { createDevice } from '../modules/checkin/index.ts';
import { buyTickets } from '../testing/gate.ts';
import { createProviders } from '../modules/payments/index.ts';
import { systemClock } from '../shared/clock.ts';
import { createTestDatabase, queryRows, type TestDatabase } from '../testing/db.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { waitFor } from '../testing/notifications.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';

/*
 * Issue 19: PostgreSQL goes away under a running server (a proxy in front of the test database, cut while
 * orders and scans are in flight). Calls fail fast as 503 saying so, never a 500 or a hang; /readyz turns
 * 503; when the database is back the same process serves again; no order is half-written. A SIGTERM while
 * the database is silent ends the process within its grace period.
 */

const GRACE_MS = 3000;
let database: TestDatabase;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let server: ServerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  const u = new URL(database.url!);
  proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await proxy?.close();
  await database?.drop();
});

type Reply = { status: number; ms: number; body: { result?: { data: Record<string, unknown> }; error?: { message: string; data?: { appCode?: string } } } | null };

async function post(base: string, procedure: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(`${base}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Reply['body'], ms: performance.now() - started };
}

async function get(base: string, procedure: string): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(`${base}/trpc/${procedure}`, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: (await res.json().catch(() => null)) as Reply['body'], ms: performance.now() - started };
}

it('calls 503 fast while PostgreSQL is gone, service resumes by itself, no order half-written; SIGTERM while it is silent exits in time', async () => {
  const deps = { db: database.db, clock: systemClock, config: testConfig(), payments: createProviders() };
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 100_000 }] });
  const { tickets } = await buyTickets(deps, { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 3 });
  const { token } = await createDevice(deps.db, { eventId, name: 'Gate O' }, null, deps.clock());
  const scanner = { authorization: `Bearer ${token}` };
  server = await startServerProcess({ DATABASE_URL: proxy.urlFor(database.url!), SHUTDOWN_GRACE_MS: String(GRACE_MS) });
  const base = server.url;
  const order = (n: number) =>
    post(base, 'orders.create', { eventId, customer: { name: `Outage ${n}`, email: `outage${n}@example.com` }, lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }] });
  const scan = (i: number) => post(base, 'checkin.scan', { eventId, qr: tickets[i]!.secret, nonce: randomUUID() }, scanner);

  expect((await order(0)).status).toBe(200);
  expect((await scan(0)).body?.result?.data.result).toBe('ok');

  // Orders in flight when the database goes away: each one either succeeded or is a clean 503.
  let stop = false;
  const statuses: number[] = [];
  const load = Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) statuses.push((await order(1000 + w * 1000 + i)).status);
    }),
  );
  await new Promise((r) => setTimeout(r, 300));
  await proxy.refuse();
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await load;
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(statuses).toContain(503);

  // Down: fast, clear 503s; the process stays alive and says it is not ready.
  for (const reply of [await order(1), await scan(1), await get(base, 'catalog.listEvents')]) {
    expect(reply.status).toBe(503);
    expect(reply.ms).toBeLessThan(1000);
  }
  const down = await order(2);
  expect(down.body?.error).toMatchObject({ message: 'The database is not answering. Try again shortly.', data: { appCode: 'DATABASE_UNAVAILABLE' } });
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const notReady = await fetch(`${base}/readyz`);
  expect(notReady.status).toBe(503);
  expect(await notReady.json()).toMatchObject({ ok: false, database: 'unreachable' });

  // Back: the same process serves again.
  await proxy.forward();
  await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, '/readyz to recover', 15_000);
  expect((await order(3)).status).toBe(200);
  expect((await scan(1)).body?.result?.data.result).toBe('ok');

  // No order half-written: every order has its lines and its status history.
  const broken = await queryRows<{ id: string }>(
    deps.db,
    sql`select o.id from orders o
        where not exists (select 1 from order_lines l where l.order_id = o.id)
           or not exists (select 1 from order_status_changes c where c.order_id = o.id)`,
  );
  expect(broken).toEqual([]);

  // Silent (a partition: connections hang rather than fail): calls still end as 503, and SIGTERM ends the process in time.
  await proxy.blackhole();
  const silent = await order(4);
  expect(silent.status).toBe(503);
  expect(silent.ms).toBeLessThan(8000);
  const pending = order(5).catch(() => null);
  await new Promise((r) => setTimeout(r, 200));
  const t0 = performance.now();
  await server.stop('SIGTERM');
  expect(performance.now() - t0).toBeLessThan(GRACE_MS + 1500);
  await pending;
  server = undefined;
}, 120_000);
