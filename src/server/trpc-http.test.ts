import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { loginCookie, testDeps, userCaller } from '../testing/app.ts';
import { buyTickets, enrolDevice, gateEvent } from '../testing/gate.ts';
import { forgedQrOf } from '../testing/ticket-qr.ts';
import { MAX_BATCH_SIZE } from '../shared/batching.ts';
import { CSRF_HEADER } from '../shared/csrf.ts';
import { buildApp } from './app.ts';

/*
 * Two routes serve procedures: the stock tRPC Fastify plugin at /trpc/:path, and checkin.scan's own route
 * (createCaller from a plain Fastify route). The scan route must answer exactly as the plugin does — same
 * status, content type, vary and body — for success, batches of one, validation errors, AppErrors, auth
 * errors, unparsable input and a 500; and our hooks (batch cap, CSRF, no-store, availability) must hold
 * on both. Each request goes to two apps on one database: scan route on (`direct`) and off (`stock`).
 */
let database: TestDatabase;
let broken: TestDatabase;
const apps: Record<'direct' | 'stock' | 'directBroken' | 'stockBroken', FastifyInstance> = {} as never;
let eventId: string;
let token: string;
let qrs: string[];
let staffCookie: string;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 4 });
  broken = await createTestDatabase({ poolSize: 2 });
  const deps = testDeps(database.db);
  const brokenDeps = testDeps(broken.db);
  apps.direct = await buildApp({ deps });
  apps.stock = await buildApp({ deps: { ...deps, config: { ...deps.config, trpcScanRoute: false } } });
  apps.directBroken = await buildApp({ deps: brokenDeps });
  apps.stockBroken = await buildApp({ deps: { ...brokenDeps, config: { ...brokenDeps.config, trpcScanRoute: false } } });
  const event = await gateEvent(deps.db, deps.clock());
  eventId = event.eventId;
  token = (await enrolDevice(deps, eventId)).token;
  qrs = (await buyTickets(deps, { eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 3 })).tickets.map((t) => t.secret);
  const staff = await userCaller(deps, 'staff');
  staffCookie = await loginCookie(apps.stock, staff.email, staff.password);
  // A database that is gone: every query fails inside a procedure, which must be a 500 without internals.
  await broken.close();
});
afterAll(async () => {
  await Promise.all(Object.values(apps).map((a) => a.close()));
  await database?.drop();
  await broken?.drop().catch(() => {});
});

type Headers = Record<string, string>;
const device = (): Headers => ({ authorization: `Bearer ${token}` });
const scan = (input: unknown, headers: Headers = device(), batch = false): InjectOptions => ({
  method: 'POST',
  url: `/trpc/checkin.scan${batch ? '?batch=1' : ''}`,
  headers: { 'content-type': 'application/json', ...headers },
  payload: JSON.stringify(batch ? { 0: input } : input),
});
const shape = (r: Awaited<ReturnType<FastifyInstance['inject']>>) => ({
  status: r.statusCode,
  contentType: r.headers['content-type'],
  vary: r.headers.vary,
  cacheControl: r.headers['cache-control'],
  body: r.json() as unknown,
});
async function both(req: InjectOptions, direct = apps.direct, stock = apps.stock) {
  const [a, b] = [await direct.inject(req), await stock.inject(req)];
  return { direct: shape(a), stock: shape(b) };
}

describe('checkin.scan by its own route answers exactly as the stock plugin', () => {
  const nonce = (n: number) => `equivalence-nonce-${n}`;
  // A nonce makes the second app's answer a replay of the first's: the same verdict, the same body.
  const cases: [string, () => InjectOptions][] = [
    ['success', () => scan({ eventId, qr: qrs[0], nonce: nonce(1) })],
    ['success in a batch of one', () => scan({ eventId, qr: qrs[1], nonce: nonce(2) }, device(), true)],
    ['already checked in', () => scan({ eventId, qr: qrs[0] })],
    ['forged QR (a verdict, not an error)', () => scan({ eventId, qr: forgedQrOf(qrs[2]!) })],
    ['validation error (field errors)', () => scan({ eventId: 'not-a-uuid', qr: qrs[2] })],
    ['validation error in a batch of one', () => scan({ qr: qrs[2] }, device(), true)],
    ['AppError from the service (implausible scan time)', () => scan({ eventId, qr: qrs[2], scannedAt: '2001-01-01T00:00:00.000Z' })],
    ['no credentials (UNAUTHORIZED)', () => scan({ eventId, qr: qrs[2] }, {})],
    ['unknown device token (DEVICE_REVOKED)', () => scan({ eventId, qr: qrs[2] }, { authorization: 'Bearer nope-nope-nope-nope' })],
    ['staff by session cookie with the CSRF header', () => scan({ eventId, qr: qrs[0] }, { cookie: staffCookie, [CSRF_HEADER]: '1' })],
    ['malformed JSON', () => ({ ...scan({}), payload: '{bad' })],
    ['not JSON (form data)', () => ({ method: 'POST', url: '/trpc/checkin.scan', headers: { 'content-type': 'text/plain' }, payload: 'x' })],
    ['sent as GET (method not supported)', () => ({ method: 'GET', url: `/trpc/checkin.scan?input=${encodeURIComponent(JSON.stringify({ eventId }))}` })],
  ];
  for (const [name, req] of cases) {
    it(name, async () => {
      const { direct, stock } = await both(req());
      expect(direct).toEqual(stock);
    });
  }

  it('the scan route really answers (its own route), and its answers carry no-store', async () => {
    const res = await apps.direct.inject(scan({ eventId, qr: qrs[2] }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(apps.direct.hasRoute({ method: 'POST', url: '/trpc/checkin.scan' })).toBe(true);
    expect(apps.stock.hasRoute({ method: 'POST', url: '/trpc/checkin.scan' })).toBe(false);
  });

  it('a failing procedure is a 500 without internals on both', async () => {
    const { direct, stock } = await both(scan({ eventId, qr: qrs[2] }), apps.directBroken, apps.stockBroken);
    expect(direct).toEqual(stock);
    expect(direct.status).toBe(500);
    expect(direct.body).toMatchObject({ error: { message: 'Internal server error', data: { code: 'INTERNAL_SERVER_ERROR' } } });
  });
});

describe('our hooks hold on every route that serves procedures', () => {
  it('CSRF: a signed-in POST without the header is refused before the call, alike on both routes', async () => {
    const req = scan({ eventId, qr: qrs[2] }, { cookie: staffCookie });
    const { direct, stock } = await both(req);
    expect(direct).toEqual(stock);
    expect(direct).toMatchObject({ status: 403, body: { error: { data: { code: 'FORBIDDEN', appCode: 'FORBIDDEN', path: 'checkin.scan' } } } });
    const crossSite = await apps.direct.inject({ ...scan({ eventId, qr: qrs[2] }), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
  });

  it('a batch over MAX_BATCH_SIZE is refused whole, in our error shape', async () => {
    const paths = Array.from({ length: MAX_BATCH_SIZE + 1 }, () => 'health.ping').join(',');
    const res = await apps.direct.inject({ method: 'GET', url: `/trpc/${paths}?batch=1` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual([
      { error: expect.objectContaining({ message: `A batch may hold at most ${MAX_BATCH_SIZE} calls`, data: expect.objectContaining({ appCode: 'VALIDATION', path: 'health.ping' }) }) },
    ]);
  });

  it('the stock plugin serves queries by GET and by POST, batches, cookies and JSON content types', async () => {
    const ping = await apps.direct.inject({ method: 'GET', url: '/trpc/health.ping' });
    expect(shape(ping)).toMatchObject({ status: 200, contentType: 'application/json', cacheControl: 'no-store', body: { result: { data: { ok: true } } } });
    const batch = await apps.direct.inject({ method: 'POST', url: '/trpc/health.ping,health.site?batch=1', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(batch.json()).toHaveLength(2);
    expect(staffCookie).toMatch(/=/); // auth.login set its session cookie through the plugin's context
    const me = await apps.direct.inject({ method: 'GET', url: '/trpc/auth.me', headers: { cookie: staffCookie } });
    expect(me.json()).toMatchObject({ result: { data: { user: { role: 'staff' } } } });
  });

  it('before start-up finished, both routes answer 503 with the reason', async () => {
    const app = await buildApp({ deps: testDeps(database.db), availability: { ready: false, reason: 'migrating' } });
    try {
      for (const req of [scan({ eventId, qr: qrs[2] }), { method: 'GET' as const, url: '/trpc/health.ping' }]) {
        const res = await app.inject(req);
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ error: { message: expect.stringMatching(/^Starting: migrating/), data: { code: 'SERVICE_UNAVAILABLE' } } });
      }
    } finally {
      await app.close();
    }
  });

  it('requests are counted per procedure on both routes, made-up names as unknown', async () => {
    await apps.direct.inject({ method: 'GET', url: '/trpc/made.up.name' });
    const metrics = (await apps.direct.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/gatekeeper_trpc_request_duration_seconds_count\{[^}]*procedure="checkin.scan",status="200"/);
    expect(metrics).toMatch(/gatekeeper_trpc_request_duration_seconds_count\{[^}]*procedure="health.ping",status="200"/);
    expect(metrics).toMatch(/procedure="unknown",status="404"/);
    expect(metrics).not.toMatch(/made\.up\.name/);
  });
});
