import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testDeps } from '../testing/app.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { buildApp } from './app.ts';

/*
 * The fast path (single calls answered without the stock adapter) must answer exactly as the adapter
 * does: the same status, headers that matter and body, for success, validation errors, AppErrors,
 * tRPC's own errors and a 500. Each request goes to two apps on one database: fast path on and off.
 */
let database: TestDatabase;
let broken: TestDatabase;
const apps: Record<'fast' | 'stock' | 'fastBroken' | 'stockBroken', FastifyInstance> = {} as never;
let eventId: string;
let ticketTypeId: string;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 4 });
  broken = await createTestDatabase({ poolSize: 2 });
  const deps = testDeps(database.db);
  const brokenDeps = testDeps(broken.db);
  apps.fast = await buildApp({ deps });
  apps.stock = await buildApp({ deps: { ...deps, config: { ...deps.config, trpcFastPath: false } } });
  apps.fastBroken = await buildApp({ deps: brokenDeps });
  apps.stockBroken = await buildApp({ deps: { ...brokenDeps, config: { ...brokenDeps.config, trpcFastPath: false } } });
  const event = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 1 }] });
  eventId = event.eventId;
  ticketTypeId = event.ticketTypeIds[0]!;
  // A database that is gone: every query fails inside a procedure, which must be a 500 without internals.
  await broken.close();
});
afterAll(async () => {
  await Promise.all(Object.values(apps).map((a) => a.close()));
  await database?.drop();
  await broken?.drop().catch(() => {});
});

const json = (input: unknown) => ({ 'content-type': 'application/json', payload: JSON.stringify(input) });
const get = (path: string, input?: unknown, batch = false): InjectOptions => {
  const query = new URLSearchParams();
  if (batch) query.set('batch', '1');
  if (input !== undefined) query.set('input', JSON.stringify(batch ? { 0: input } : input));
  return { method: 'GET', url: `/trpc/${path}${query.size ? `?${query}` : ''}` };
};
const post = (path: string, input: unknown, batch = false): InjectOptions => {
  const { payload } = json(batch ? { 0: input } : input);
  return { method: 'POST', url: `/trpc/${path}${batch ? '?batch=1' : ''}`, headers: { 'content-type': 'application/json' }, payload };
};
const order = (quantity: number) => ({
  eventId,
  customer: { name: 'Ada', email: 'ada@example.com' },
  lines: [{ ticketTypeId, quantity }],
});

async function both(req: InjectOptions, fast = apps.fast, stock = apps.stock) {
  const [a, b] = [await fast.inject(req), await stock.inject(req)];
  const shape = (r: typeof a) => ({
    status: r.statusCode,
    contentType: r.headers['content-type'],
    vary: r.headers.vary,
    body: r.json() as unknown,
  });
  return { fast: shape(a), stock: shape(b) };
}

describe('tRPC fast path answers exactly as the stock adapter', () => {
  const cases: [string, () => InjectOptions][] = [
    ['query, success', () => get('catalog.getEvent', { eventId })],
    ['query in a batch of one, success', () => get('catalog.getEvent', { eventId }, true)],
    ['query without input', () => get('health.ping')],
    ['query, validation error (field errors)', () => get('catalog.getEvent', { eventId: 'not-a-uuid' })],
    ['mutation, validation error in a batch of one', () => post('orders.create', { eventId }, true)],
    ['query by POST (method override), AppError (NOT_FOUND)', () => post('orders.get', { orderId: eventId, token: 'x'.repeat(43) })],
    ['query by POST (method override), success', () => post('catalog.getEvent', { eventId })],
    ['mutation sent as GET (method not supported)', () => get('orders.create', { eventId })],
    ['unknown procedure', () => get('nope.nothing')],
    ['malformed JSON input', () => ({ method: 'GET', url: '/trpc/catalog.getEvent?input=%7Bbad' })],
  ];
  for (const [name, req] of cases) {
    it(name, async () => {
      const { fast, stock } = await both(req());
      expect(fast).toEqual(stock);
    });
  }

  it('mutation success then AppError SOLD_OUT, in the same order on both', async () => {
    const first = await both(post('orders.create', order(1)));
    expect(first.fast.status).toBe(200);
    expect(first.stock.status).toBe(409); // the one seat went to the fast app's order
    const again = await both(post('orders.create', order(1)));
    expect(again.fast).toEqual(again.stock);
    expect(again.fast.body).toMatchObject({ error: { data: { appCode: 'SOLD_OUT', httpStatus: 409 } } });
  });

  it('a failing procedure is a 500 without internals on both', async () => {
    const { fast, stock } = await both(get('catalog.listEvents'), apps.fastBroken, apps.stockBroken);
    expect(fast).toEqual(stock);
    expect(fast.status).toBe(500);
    expect(fast.body).toMatchObject({ error: { message: 'Internal server error', data: { code: 'INTERNAL_SERVER_ERROR' } } });
  });
});
