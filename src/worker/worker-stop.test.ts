import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../config.ts';
import { placeOrder } from '../modules/orders/index.ts';
import { systemClock } from '../shared/clock.ts';
import { testDeps } from '../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testRedisUrl } from '../testing/env.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { outboxOf, settledOutbox, waitFor } from '../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../testing/provider-stand-ins.ts';
import { exitOf, obliterateQueue, spawnWorker } from '../testing/worker-process.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';

/*
 * Issue 19: a worker whose Redis went away (a proxy in front of the shared Redis, cut: the worker sees
 * ECONNREFUSED, the jobs survive as they would in a persistent Redis) while a job is in hand that cannot
 * finish (an SMS hanging at the provider). SIGTERM must end the process within SHUTDOWN_GRACE_MS, saying
 * what it left; a new worker with Redis back sends every message exactly once.
 */

const GRACE_MS = 3000;
let database: TestDatabase;
let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
let redisProxy: Awaited<ReturnType<typeof startTcpProxy>>;
const appSecret = randomBytes(32).toString('base64url');
const prefix = `gk-stop-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const shared = new URL(testRedisUrl());
  [database, ses, twilio, redisProxy] = await Promise.all([
    createTestDatabase(),
    startSesStandIn(),
    startTwilioStandIn(),
    startTcpProxy({ host: shared.hostname, port: Number(shared.port || 6379) }),
  ]);
});
afterAll(async () => {
  await obliterateQueue(prefix);
  await Promise.all([ses?.close(), twilio?.close(), redisProxy?.close()]);
  await database?.drop();
});

const startWorker = (until?: string) =>
  spawnWorker({ databaseUrl: database.url!, redisUrl: redisProxy.urlFor(testRedisUrl()), queuePrefix: prefix, appSecret, ses, twilio, env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) }, until });
const exited = exitOf;

it('SIGTERM with Redis gone and a job stuck in hand exits within the grace period; the next worker sends everything once', async () => {
  const deps = { ...testDeps(database.db, { config: testConfig({ appSecret }) }), clock: systemClock };
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: null }], smsCountries: ['GB'] });
  const pay = async (i: number) => {
    const placed = await placeOrder(deps, {
      eventId,
      customer: { name: `Stop ${i}`, email: `stop${i}@example.com`, phone: `+4420794630${String(i).padStart(2, '0')}` },
      lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
    });
    return placed.orderId;
  };

  const first = await startWorker();
  // Order 1's SMS hangs at the provider: its job is in hand and cannot finish.
  twilio.failFor('+442079463001', ['hang']);
  const stuck = await pay(1);
  await waitFor(async () => twilio.attempts.some((a) => a.to === '+442079463001'), 'the SMS request');

  await redisProxy.refuse();
  const during = [await pay(2), await pay(3)];

  const t0 = Date.now();
  first.child.kill('SIGTERM');
  const code = await exited(first.child);
  const took = Date.now() - t0;
  expect(took, first.output()).toBeLessThan(GRACE_MS + 1500);
  expect(code).not.toBeNull();
  // It says what it left: the job in hand (by outbox id) stays in the queue.
  const [stuckMessage] = await outboxOf(deps.db, stuck);
  expect(first.output()).toContain('leaving work behind');
  expect(first.output()).toContain(stuckMessage!.id);

  await redisProxy.forward();
  const second = await startWorker();
  try {
    for (const id of [stuck, ...during]) expect((await settledOutbox(deps.db, id, 60_000))[0]!.status).toBe('sent');
    for (const i of [1, 2, 3]) {
      expect(ses.accepted.filter((m) => m.to === `stop${i}@example.com`), `email ${i}`).toHaveLength(1);
      expect(twilio.accepted.filter((m) => m.to === `+4420794630${String(i).padStart(2, '0')}`), `sms ${i}`).toHaveLength(1);
    }
  } finally {
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }
}, 120_000);

it('a worker started while Redis is missing says so in one line, and SIGTERM still ends it in time', async () => {
  await redisProxy.refuse();
  try {
    const worker = await startWorker('Cannot reach Redis at');
    expect(worker.output()).toContain(`Cannot reach Redis at 127.0.0.1:${redisProxy.port}: connection refused (ECONNREFUSED)`);
    const t0 = Date.now();
    worker.child.kill('SIGTERM');
    await exited(worker.child);
    expect(Date.now() - t0, worker.output()).toBeLessThan(GRACE_MS + 1500);
  } finally {
    await redisProxy.forward();
  }
}, 60_000);
