import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testDeps, userCaller } from '../testing/app.ts';
import { testRedisUrl } from '../testing/env.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { createDevice } from '../modules/checkin/index.ts';
import { CSRF_HEADER } from '../shared/csrf.ts';
import { buildApp } from './app.ts';

let database: TestDatabase;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 4 });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await database?.drop();
});

async function appWith(config: Partial<Config> = {}) {
  const deps = testDeps(database.db, { config: { trustProxy: 1, ...config } });
  const app = await buildApp({ deps });
  apps.push(app);
  return { app, deps };
}

const post = (path: string, input: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: `/trpc/${path}`,
  headers: { 'content-type': 'application/json', ...headers },
  payload: JSON.stringify(input),
});

describe('CSRF protection for cookie-authenticated mutations', () => {
  it('refuses a signed-in POST without the header or from another site, accepts it with the header', async () => {
    const { app, deps } = await appWith();
    const { email, password } = await userCaller(deps, 'admin');
    const login = await app.inject(post('auth.login', { email, password }));
    expect(login.statusCode).toBe(200); // no session yet: login needs no header
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const create = (headers: Record<string, string>) =>
      app.inject(post('admin.createEvent', { name: 'CSRF test', startsAt: '2031-01-01T18:00:00Z', currency: 'EUR' }, { cookie, ...headers }));

    const without = await create({});
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error: { message: `Missing ${CSRF_HEADER} header: signed-in changes must come from the Gatekeeper app` } });
    const crossSite = await create({ [CSRF_HEADER]: '1', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    expect((await create({ [CSRF_HEADER]: '1', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    // Queries (GET) read nothing secret without the cookie's owner seeing it; they need no header.
    expect((await app.inject({ method: 'GET', url: '/trpc/auth.me', headers: { cookie } })).json()).toMatchObject({ result: { data: { user: { email } } } });
  });
});

describe('operations endpoints', () => {
  it('echoes a caller request id and makes one otherwise', async () => {
    const { app } = await appWith();
    expect((await app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-1234' } })).headers['x-request-id']).toBe('lb-1234');
    const made = (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } })).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/metrics exposes request durations, check-in results, orders by status and outbox depth', async () => {
    const { app, deps } = await appWith({ redisUrl: testRedisUrl() });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock());
    const order = { eventId, customer: { name: 'Metric', email: 'metric@example.com' }, lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }] };
    expect((await app.inject(post('orders.create', order))).statusCode).toBe(200);
    const { token } = await createDevice(deps.db, { eventId, name: 'Gate M' }, null, deps.clock());
    const scan = await app.inject(post('checkin.scan', { eventId, qr: 'not-a-ticket' }, { authorization: `Bearer ${token}` }));
    expect(scan.json()).toMatchObject({ result: { data: { result: 'invalid' } } });

    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/gatekeeper_trpc_request_duration_seconds_count\{[^}]*procedure="checkin.scan"[^}]*status="200"[^}]*\} [1-9]/);
    expect(res.body).toMatch(/gatekeeper_checkin_results_total\{[^}]*result="invalid"[^}]*\} [1-9]/);
    expect(res.body).toMatch(/^gatekeeper_orders\{/m);
    expect(res.body).toMatch(/^gatekeeper_outbox_pending\{[^}]*\} \d+/m);
    expect(res.body).toMatch(/^gatekeeper_queue_waiting\{[^}]*\} \d+/m);
    expect(res.body).toMatch(/^gatekeeper_process_resident_memory_bytes/m);
  });

  it('/metrics requires the token when METRICS_TOKEN is set', async () => {
    const { app } = await appWith({ metricsToken: 'a-long-metrics-token' });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer a-long-metrics-token' } })).statusCode).toBe(200);
  });

  it('/readyz checks the database and Redis', async () => {
    const ok = await (await appWith({ redisUrl: testRedisUrl() })).app.inject({ url: '/readyz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, database: 'ok', redis: 'ok' });

    const deadPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const down = await (await appWith({ redisUrl: `redis://127.0.0.1:${deadPort}` })).app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ ok: false, database: 'ok', redis: 'unreachable' });
  });
});

// Keep the Redis test keys from piling up: the limiter's keys expire with their window anyway.
afterAll(async () => {
  const redis = new Redis(testRedisUrl());
  const keys = await redis.keys('gatekeeper:rl:*10.*');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});
