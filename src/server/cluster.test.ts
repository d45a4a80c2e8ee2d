import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../db/client.ts';
import { createDevice } from '../modules/checkin/index.ts';
import { buyTickets } from '../modules/checkin/testing.ts';
import { createProviders } from '../modules/payments/index.ts';
import { testConfig } from '../config.ts';
import { systemClock } from '../shared/clock.ts';
import { testDatabaseUrl } from '../testing/env.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { RACE_LIMITS_OFF, startServerProcess, type ServerProcess } from '../testing/server-process.ts';

/*
 * Claims about the cluster, proven with real processes on one fresh PostgreSQL database: PM2 cluster
 * mode from ecosystem.config.cjs, instances starting at the same moment (one-time setup runs once), the
 * oversell race across processes, and SIGTERM under load (every 2xx a client saw is in the database).
 */
const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error(err));
});

/** An empty database (not migrated: starting servers must do it) and a pool to inspect it. */
async function freshDatabase(): Promise<{ url: string; database: Database }> {
  const name = `gk_test_cluster_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), 4);
  cleanups.push(async () => {
    await database.close();
    const c = new pg.Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return { url: url.toString(), database };
}

const count = async (database: Database, query: ReturnType<typeof sql>) =>
  Number(((await database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

const depsOf = (database: Database) => ({ db: database.db, clock: systemClock, config: testConfig(), payments: createProviders() });

async function post(base: string, procedure: string, input: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { result?: { data: Record<string, unknown> }; error?: { data?: { appCode?: string } } } | null };
}

/** 150 buyers for 50 seats, spread over `bases`: exactly 50 sold, the rest SOLD_OUT, never a 5xx. */
async function oversellRace(database: Database, bases: string[]) {
  const { eventId, ticketTypeIds } = await createTestEvent(database.db, systemClock(), { ticketTypes: [{ capacity: 50 }] });
  const responses = await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      post(bases[i % bases.length]!, 'orders.create', {
        eventId,
        customer: { name: `Racer ${i}`, email: `racer${i}@example.com` },
        lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }],
      }),
    ),
  );
  expect(responses.filter((r) => r.status >= 500)).toEqual([]);
  expect(responses.filter((r) => r.status === 200)).toHaveLength(50);
  expect(responses.filter((r) => r.status === 409).every((r) => r.body?.error?.data?.appCode === 'SOLD_OUT')).toBe(true);
  expect(responses.filter((r) => r.status === 409)).toHaveLength(100);
  expect(await count(database, sql`SELECT count(*) AS n FROM tickets WHERE ticket_type_id = ${ticketTypeIds[0]}`)).toBe(50);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

const startupEnv = { SEED_DEMO: 'true', ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'correct horse battery', ...RACE_LIMITS_OFF };

async function assertSetUpOnce(database: Database) {
  expect(await count(database, sql`SELECT count(*) AS n FROM schema_migrations`)).toBeGreaterThan(0);
  expect(await count(database, sql`SELECT count(*) - count(DISTINCT name) AS n FROM schema_migrations`)).toBe(0);
  expect(await count(database, sql`SELECT count(*) AS n FROM users WHERE role = 'admin'`)).toBe(1);
  expect(await count(database, sql`SELECT count(*) AS n FROM events WHERE name LIKE 'Demo Night%'`)).toBe(1);
}

describe('PM2 cluster (ecosystem.config.cjs)', () => {
  it('starts two instances on a fresh database, sets up once, and never oversells across them', async () => {
    const { url, database } = await freshDatabase();
    const pm2Home = mkdtempSync(path.join(tmpdir(), 'gk-pm2-'));
    const port = await freePort();
    // The race sends 150 orders from 127.0.0.1: the per-address limits off, as startServerProcess does.
    const env = { ...process.env, ...RACE_LIMITS_OFF, PM2_HOME: pm2Home, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: '2', LOG_LEVEL: 'warn', ...startupEnv };
    const pm2 = (...args: string[]) => run('npx', ['pm2', ...args], { env, cwd: process.cwd() });
    cleanups.push(async () => {
      await pm2('kill').catch(() => {});
      rmSync(pm2Home, { recursive: true, force: true });
    });
    // PM2 runs the bundle (dist/server/main.js): build it first if the sources changed, as `npm start` does.
    await run(process.execPath, ['scripts/build.mjs', '--if-changed'], { cwd: process.cwd() });
    await pm2('start', 'ecosystem.config.cjs', '--only', 'gatekeeper-server');
    const base = `http://127.0.0.1:${port}`;
    let online: { pid: number; pm2_env: { status: string; exec_mode: string } }[] = [];
    for (let i = 0; i < 240 && online.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const list = JSON.parse((await pm2('jlist')).stdout) as typeof online & { name: string }[];
      online = list.filter((p) => p.pm2_env.status === 'online');
    }
    expect(online).toHaveLength(2);
    expect(new Set(online.map((p) => p.pid)).size).toBe(2);
    expect(online.every((p) => p.pm2_env.exec_mode === 'cluster_mode')).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await assertSetUpOnce(database);
    await oversellRace(database, [base]);
  }, 240_000);
});

describe('two server processes started by the test', () => {
  let servers: ServerProcess[] = [];
  let db: { url: string; database: Database };

  it('start at the same moment on a fresh database: migrations, first admin and demo event happen once', async () => {
    db = await freshDatabase();
    servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: db.url, ...startupEnv })));
    cleanups.push(() => Promise.all(servers.map((s) => s.stop())));
    await assertSetUpOnce(db.database);
  }, 180_000);

  it('never oversell across the two', async () => {
    await oversellRace(db.database, servers.map((s) => s.url));
  }, 180_000);

  it('SIGTERM under load drains: every 2xx order is paid in the database, every ok scan is checked in, the process exits 0', async () => {
    const [victim, survivor] = servers as [ServerProcess, ServerProcess];
    const deps = depsOf(db.database);
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 100_000 }] });
    const { tickets } = await buyTickets(deps, { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 100 });
    const { token } = await createDevice(deps.db, { eventId, name: 'Gate T' }, null, deps.clock());

    const paidOrders: string[] = [];
    const admitted: string[] = [];
    const lostInFlight: string[] = [];
    const serverErrors: number[] = [];
    let sigtermAt = Infinity;
    let stop = false;
    let scanned = 0;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const startedAt = performance.now();
        const isScan = (w + i) % 2 === 0 && scanned < tickets.length;
        const ticket = isScan ? tickets[scanned++]! : undefined;
        try {
          const r = ticket
            ? await post(victim.url, 'checkin.scan', { eventId, qr: ticket.secret, nonce: randomUUID() }, { authorization: `Bearer ${token}` })
            : await post(victim.url, 'orders.create', { eventId, customer: { name: `W${w}`, email: `w${w}@example.com` }, lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }] });
          if (r.status >= 500 && r.status !== 503) serverErrors.push(r.status);
          if (r.status === 200 && ticket && r.body?.result?.data.result === 'ok') admitted.push(ticket.id);
          if (r.status === 200 && !ticket) paidOrders.push(String(r.body?.result?.data.orderId));
        } catch (err) {
          // Refused after the server closed: fine. Sent well before SIGTERM and then cut off: a lost request.
          if (startedAt < sigtermAt - 200) lostInFlight.push(String((err as Error).cause ?? err));
          if (performance.now() > sigtermAt) return;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    await new Promise((r) => setTimeout(r, 1500));
    sigtermAt = performance.now();
    const exitCode = await victim.stop('SIGTERM');
    stop = true;
    await load;

    expect(exitCode, victim.output().slice(-3000)).toBe(0);
    expect(serverErrors).toEqual([]);
    expect(lostInFlight).toEqual([]);
    expect(paidOrders.length).toBeGreaterThan(0);
    expect(admitted.length).toBeGreaterThan(0);
    const paid = await count(db.database, sql`SELECT count(*) AS n FROM orders WHERE status = 'paid' AND id IN (${sql.join(paidOrders.map((id) => sql`${id}::uuid`), sql`, `)})`);
    expect(paid).toBe(paidOrders.length);
    const checkedIn = await count(db.database, sql`SELECT count(*) AS n FROM ticket_checkins WHERE ticket_id IN (${sql.join(admitted.map((id) => sql`${id}::uuid`), sql`, `)})`);
    expect(checkedIn).toBe(admitted.length);
    // The other process kept serving throughout.
    expect((await fetch(`${survivor.url}/readyz`)).status).toBe(200);
  }, 180_000);
});
