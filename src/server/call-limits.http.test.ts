import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { testConfig, type LimitsConfig } from '../config.ts';
import { testDeps } from '../testing/app.ts';
import { useTestDatabase } from '../testing/suite.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { testRedisUrl } from '../testing/env.ts';
import { MAX_BATCH_SIZE } from '../shared/batching.ts';
import { buildApp } from './app.ts';

// Limits count calls: a tRPC batch of N calls costs what N requests cost, whatever HTTP carried them.

const suite = useTestDatabase();
const apps: FastifyInstance[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

async function appWith(limits: Partial<LimitsConfig>, redisUrl?: string) {
  const off = testConfig().limits;
  // A fresh key prefix per app: counters left in Redis by an earlier run never leak into this one.
  const queuePrefix = `lim${Math.random().toString(36).slice(2, 8)}`;
  const deps = testDeps(suite.database.db, { config: { limits: { ...off, ...limits }, redisUrl, notifications: { ...testConfig().notifications, queuePrefix } } });
  const app = await buildApp({ deps });
  apps.push(app);
  return { app, deps };
}

let addressSeq = 0;
/** Each test acts from its own client address (the socket's, no proxy headers involved). */
const newAddress = () => `192.0.2.${++addressSeq}`;

/** A batch of calls by POST, as httpBatchLink sends mutations (and our token-carrying queries). */
function postBatch(paths: string[], inputs: unknown[], remoteAddress: string): InjectOptions {
  return {
    method: 'POST',
    url: `/trpc/${paths.join(',')}?batch=1`,
    remoteAddress,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(Object.fromEntries(inputs.map((input, i) => [i, input]))),
  };
}

type BatchItem = { result?: { data: unknown }; error?: { message: string; data: { code: string; appCode?: string } } };
const codesOf = (body: BatchItem[]) => body.map((item) => item.error?.data.code ?? 'OK');
const logins = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ({ email: `nobody${offset + i}@example.com`, password: 'wrong password' }));

describe('sign-in limit counts calls', () => {
  for (const store of ['memory', 'redis'] as const) {
    it(`four batches of ${MAX_BATCH_SIZE} sign-ins try 10 passwords, not 40 (${store} store)`, async () => {
      const { app } = await appWith({ loginPerMinute: 10 }, store === 'redis' ? testRedisUrl() : undefined);
      const ip = newAddress();
      const codes: string[] = [];
      for (let b = 0; b < 4; b++) {
        const res = await app.inject(postBatch(Array(MAX_BATCH_SIZE).fill('auth.login'), logins(MAX_BATCH_SIZE, b * MAX_BATCH_SIZE), ip));
        codes.push(...codesOf(res.json()));
      }
      expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(10);
      expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(30);
      const refused = await app.inject(postBatch(['auth.login'], logins(1), ip));
      expect(refused.json()).toMatchObject([
        { error: { message: expect.stringMatching(/^Too many sign-in attempts from your network; try again in \d+ s$/), data: { appCode: 'RATE_LIMITED' } } },
      ]);
      // Another address is not affected.
      expect(codesOf((await app.inject(postBatch(['auth.login'], logins(1), newAddress()))).json())).toEqual(['UNAUTHORIZED']);
    });
  }

  it('a batch over the cap is refused whole, before any call runs or counts', async () => {
    const { app } = await appWith({ loginPerMinute: 1 });
    const ip = newAddress();
    const tooMany = await app.inject(postBatch(Array(MAX_BATCH_SIZE + 1).fill('auth.login'), logins(MAX_BATCH_SIZE + 1), ip));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject([{ error: { message: `A batch may hold at most ${MAX_BATCH_SIZE} calls`, data: { code: 'BAD_REQUEST' } } }]);
    // Nothing was counted: the one allowed attempt is still there.
    expect(codesOf((await app.inject(postBatch(['auth.login'], logins(1), ip))).json())).toEqual(['UNAUTHORIZED']);
    expect(codesOf((await app.inject(postBatch(['auth.login'], logins(1), ip))).json())).toEqual(['TOO_MANY_REQUESTS']);
  });
});

describe('order limits count calls, per buyer and per network', () => {
  it('one buyer is stopped inside a batch; other buyers behind the same address still buy until the network ceiling', async () => {
    const { app, deps } = await appWith({ ordersPerBuyerPerMinute: 2, ordersPerIpPerMinute: 5 });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 100 }] });
    const order = (email: string) => ({ eventId, customer: { name: 'Ada', email }, lines: [{ ticketTypeId: ticketTypeIds[0], quantity: 1 }] });
    const ip = newAddress();
    const first = await app.inject(postBatch(Array(3).fill('orders.create'), Array(3).fill(order('ada@example.com')), ip));
    expect(codesOf(first.json())).toEqual(['OK', 'OK', 'TOO_MANY_REQUESTS']);
    expect(first.json()[2]).toMatchObject({ error: { message: expect.stringMatching(/^Too many orders from you; try again in \d+ s$/) } });
    // Someone else on the same network (a campus, a carrier NAT) is not the hoarder.
    const others = await app.inject(postBatch(Array(3).fill('orders.create'), ['b', 'c', 'd'].map((n) => order(`${n}@example.com`)), ip));
    expect(codesOf(others.json())).toEqual(['OK', 'OK', 'TOO_MANY_REQUESTS']);
    expect(others.json()[2]).toMatchObject({ error: { message: expect.stringMatching(/^Too many orders from your network/) } });
  });
});

describe('calls that carry an order token', () => {
  async function paidFreeOrder(app: FastifyInstance, eventId: string, ticketTypeId: string, quantity: number) {
    const res = await app.inject(postBatch(['orders.create'], [{ eventId, customer: { name: 'Flood Target', email: 'target@example.com' }, lines: [{ ticketTypeId, quantity }] }], newAddress()));
    return (res.json() as BatchItem[])[0]!.result!.data as { orderId: string; token: string };
  }

  it('orders.get refuses the token in a URL, answers by POST with no-store and the QR as text, and is limited per address', async () => {
    const { app, deps } = await appWith({ orderReadsPerMinute: 30 });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock());
    const access = await paidFreeOrder(app, eventId, ticketTypeIds[0]!, 100);

    const ip = newAddress();
    const byGet = await app.inject({ url: `/trpc/orders.get?input=${encodeURIComponent(JSON.stringify(access))}`, remoteAddress: ip });
    expect(byGet.statusCode).toBe(405);
    expect(byGet.json()).toMatchObject({ error: { message: expect.stringContaining('never in a URL'), data: { appCode: 'TOKEN_IN_URL' } } });

    const byPost = await app.inject(postBatch(['orders.get'], [access], ip));
    expect(byPost.statusCode).toBe(200);
    expect(byPost.headers['cache-control']).toBe('no-store');
    const order = (byPost.json() as BatchItem[])[0]!.result!.data as { tickets: { qrText: string }[] };
    expect(order.tickets).toHaveLength(100);
    // The page draws the QR codes: the server renders no images, so a read costs a few queries and JSON.
    expect(byPost.body).not.toMatch(/data:image|<svg/);
    expect(byPost.body.length).toBeLessThan(100 * 600);

    // 30 a minute, counted as 5 per 10 seconds, one of them spent above: the fifth call of this batch is refused.
    const rest = await app.inject(postBatch(Array(5).fill('orders.get'), Array(5).fill(access), ip));
    expect(codesOf(rest.json())).toEqual(['OK', 'OK', 'OK', 'OK', 'TOO_MANY_REQUESTS']);
  });
});
