import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';
import { startRoundRobinProxy } from '../src/testing/round-robin-proxy.ts';
import { startServerProcess, type ServerProcess } from '../src/testing/server-process.ts';
import { remote, signInToTarget, type Remote } from './remote.ts';

/*
 * `npm run loadtest -- --target` against an install the test starts: two server processes on one
 * PostgreSQL behind a round-robin balancer, with tight abuse limits (a load generator on one address
 * gets through them only with its event's load-test key). The run creates its event, measures a short
 * mixed scenario and removes everything it made — also when interrupted — leaving a real event as it was;
 * its report's request counts agree with the servers' own /metrics.
 */
const run = promisify(execFile);
const METRICS_TOKEN = 'metrics-token-for-the-target-test';
const admin = { email: 'loadtest-admin@example.org', password: 'Quasar-Lantern-Trombone-41' };
const cliEnv = { ...process.env, LOADTEST_ADMIN_EMAIL: admin.email, LOADTEST_ADMIN_PASSWORD: admin.password };
const out = mkdtempSync(path.join(tmpdir(), 'gk-loadtest-target-'));

let database: TestDatabase;
let servers: ServerProcess[] = [];
let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
let realEvent: { eventId: string; before: unknown };

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 3 });
  const env = {
    DATABASE_URL: database.url!,
    DATABASE_POOL_SIZE: '10',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    METRICS_TOKEN,
    // Far tighter than the defaults: without the key's exemption the generator's orders and order-page
    // views would be refused (429) within the first second.
    FREE_ORDERS_PER_IP_PER_HOUR: '3',
    FREE_ORDERS_PER_RECIPIENT_PER_HOUR: '1',
    RATE_LIMIT_ORDERS_PER_IP_PER_MINUTE: '5',
    RATE_LIMIT_ORDERS_PER_MINUTE: '5',
    RATE_LIMIT_ORDER_READS_PER_MINUTE: '6',
    RATE_LIMIT_LOGIN_PER_MINUTE: '10',
  };
  servers = await Promise.all([1, 2].map(() => startServerProcess(env, 120_000)));
  proxy = await startRoundRobinProxy(servers.map((s) => s.url));
  realEvent = await makeRealEvent(await signIn(proxy.url));
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(servers.map((s) => s.stop()));
  await database?.drop();
  rmSync(out, { recursive: true, force: true });
});

async function signIn(url: string): Promise<Remote> {
  const res = await fetch(`${url}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  return remote(url, res.headers.getSetCookie()[0]!.split(';')[0]);
}

/** A real event with one paid (free) order, made before the load test; what the admin sees of it. */
async function makeRealEvent(api: Remote) {
  const startsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const { eventId } = await api.call<{ eventId: string }>('admin.createEvent', { name: 'Real concert', startsAt, currency: 'EUR' });
  const { ticketTypeId } = await api.call<{ ticketTypeId: string }>('admin.createTicketType', { eventId, name: 'Standing', priceCents: 0, capacity: 50 });
  await api.call('orders.create', { eventId, customer: { name: 'Real Fan', email: 'fan@example.org' }, lines: [{ ticketTypeId, quantity: 2 }] });
  return { eventId, before: await realEventState(api, eventId) };
}

const realEventState = async (api: Remote, eventId: string) => ({
  event: await api.call('admin.getEvent', { eventId }),
  orders: await api.call('admin.listOrders', { eventId }),
});

/** What the load-test events left behind: orders not cancelled or expired, valid tickets, active devices. */
async function leftovers() {
  const { rows } = (await database.db.execute(sql`
    SELECT (SELECT count(*)::int FROM events WHERE load_test AND (published OR load_test_key_hash IS NOT NULL)) AS live_events,
           (SELECT count(*)::int FROM orders WHERE status IN ('pending', 'paid') AND event_id IN (SELECT id FROM events WHERE load_test)) AS open_orders,
           (SELECT count(*)::int FROM tickets WHERE status = 'valid' AND event_id IN (SELECT id FROM events WHERE load_test)) AS valid_tickets,
           (SELECT count(*)::int FROM devices WHERE revoked_at IS NULL AND event_id IN (SELECT id FROM events WHERE load_test)) AS devices,
           (SELECT count(*)::int FROM outbox_messages WHERE payload->>'orderId' IN (SELECT id::text FROM orders WHERE event_id IN (SELECT id FROM events WHERE load_test))) AS messages`)) as unknown as {
    rows: Record<string, number>[];
  };
  return rows[0]!;
}

async function loadTestEvents(): Promise<number> {
  const { rows } = (await database.db.execute(sql`SELECT count(*)::int AS n FROM events WHERE load_test`)) as unknown as { rows: { n: number }[] };
  return rows[0]!.n;
}

/** tRPC requests each procedure answered, summed over both servers' /metrics. */
async function servedByProcedure(): Promise<Record<string, number>> {
  const served: Record<string, number> = {};
  for (const s of servers) {
    const text = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    for (const m of text.matchAll(/^gatekeeper_trpc_request_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
      const procedure = /procedure="([^"]+)"/.exec(m[1]!)![1]!;
      served[procedure] = (served[procedure] ?? 0) + Number(m[2]);
    }
  }
  return served;
}

const cli = ['--import', 'tsx', 'loadtest/run.ts', '--scenario', 'mixed', '--connections', '6', '--tickets', '150', '--gates', '2'];

describe('npm run loadtest -- --target (two server processes behind a balancer)', () => {
  it('creates its event, runs a mixed scenario, removes what it made; the report agrees with /metrics', async () => {
    const servedBefore = await servedByProcedure();
    const eventsBefore = await loadTestEvents();
    const dir = mkdtempSync(path.join(out, 'run-'));
    await run(process.execPath, [...cli, '--target', proxy.url, '--duration', '3', '--out', dir], { env: cliEnv, maxBuffer: 10 * 1024 * 1024 });
    const servedAfter = await servedByProcedure();

    const report = JSON.parse(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(report).toMatchObject({ scenario: 'mixed', target: proxy.url, errors: 0, non2xx: 0, errorsByKind: {}, interrupted: false });
    expect(report.run.requests).toBeGreaterThan(0);
    // The organizer's live pages stayed open through the run and were woken by its scans and sales.
    expect(report.checks).toMatchObject({ livePages: 2, liveErrors: [] });
    expect(report.checks.liveUpdates).toBeGreaterThan(2);
    const html = readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.html'))!), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('time since start (s)');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org|127\.0\.0\.1)/);

    // Every call the generator made, by procedure, against what the two servers counted meanwhile (a few
    // in flight when the clock ran out may be counted on one side only).
    const sent = report.sentByProcedure as Record<string, number>;
    expect(Object.keys(sent)).toEqual(expect.arrayContaining(['checkin.scan', 'orders.create', 'orders.get', 'health.ping', 'admin.removeLoadTestEvent']));
    for (const [procedure, count] of Object.entries(sent)) {
      const served = (servedAfter[procedure] ?? 0) - (servedBefore[procedure] ?? 0);
      expect({ procedure, sent: count, served, within: Math.abs(served - count) <= Math.max(6, count * 0.02) }).toMatchObject({ within: true });
    }

    expect(await loadTestEvents()).toBe(eventsBefore + 1);
    expect(await leftovers()).toEqual({ live_events: 0, open_orders: 0, valid_tickets: 0, devices: 0, messages: 0 });
    const api = await signIn(proxy.url);
    expect(await realEventState(api, realEvent.eventId)).toEqual(realEvent.before);
    const listed = await api.call<{ id: string }[]>('catalog.listEvents');
    expect(listed.map((e) => e.id)).toEqual([realEvent.eventId]);
  }, 120_000);

  it('Ctrl-C in the middle of the run still removes everything it made', async () => {
    const dir = mkdtempSync(path.join(out, 'sigint-'));
    const before = await loadTestEvents();
    const child = spawn(process.execPath, [...cli, '--target', proxy.url, '--duration', '60', '--out', dir], { env: cliEnv });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      // Interrupt once the load is on (the event, its tickets and devices exist; the ceiling run is measuring).
      if (!interrupted && /ceiling: no-op/.test(stderr)) interrupted = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toMatchObject({ code: 130, stderr: expect.stringContaining('removed: its orders cancelled') });
    expect(await leftovers()).toEqual({ live_events: 0, open_orders: 0, valid_tickets: 0, devices: 0, messages: 0 });
    expect(await loadTestEvents()).toBe(before + 1);
    const report = JSON.parse(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(report.interrupted).toBe(true);
  }, 120_000);

  it('refuses an unreachable target and failing credentials, creating nothing', async () => {
    const before = await loadTestEvents();
    await expect(signInToTarget('http://127.0.0.1:1', cliEnv)).rejects.toThrow(/^Cannot reach the target http:\/\/127\.0\.0\.1:1: .*Nothing was created/);
    await expect(signInToTarget(proxy.url, { ...cliEnv, LOADTEST_ADMIN_PASSWORD: 'not-the-password' })).rejects.toThrow(/refused the admin sign-in/);
    await expect(signInToTarget(proxy.url, { LOADTEST_ADMIN_EMAIL: admin.email })).rejects.toThrow(/Set LOADTEST_ADMIN_EMAIL and LOADTEST_ADMIN_PASSWORD/);
    await expect(signInToTarget(`http://u:p@127.0.0.1:1`, cliEnv)).rejects.toThrow(/no credentials or query/);
    expect(await loadTestEvents()).toBe(before);
  });
});
