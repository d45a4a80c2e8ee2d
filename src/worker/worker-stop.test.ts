import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../config.ts';
import { createNotificationQueue } from '../modules/notifications/index.ts';
import { placeOrder } from '../modules/orders/index.ts';
import { systemClock } from '../shared/clock.ts';
import { testDeps } from '../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testRedisUrl } from '../testing/env.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { outboxOf, settledOutbox, waitFor } from '../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../testing/provider-stand-ins.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';
import { workerRedis } from './notifier.ts';

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
  const connection = workerRedis(testRedisUrl());
  const queue = createNotificationQueue(connection, { prefix, maxAttempts: 1, backoffMs: 1 });
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  await Promise.all([ses?.close(), twilio?.close(), redisProxy?.close()]);
  await database?.drop();
});

async function startWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url!,
      REDIS_URL: redisProxy.urlFor(testRedisUrl()),
      QUEUE_PREFIX: prefix,
      APP_SECRET: appSecret,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      SES_FROM: 'tickets@example.com',
      SES_ENDPOINT: ses.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: ses.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ses.credentials.secretAccessKey,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: twilio.from,
      TWILIO_API_BASE: twilio.url,
      NOTIFY_JOB_LOCK_MS: '2000',
      NOTIFY_BACKOFF_MS: '200',
      EMAIL_RATE_PER_SECOND: '50',
      SMS_RATE_PER_SECOND: '50',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitFor(async () => out.includes('notification worker started') || (child.exitCode !== null && Promise.reject(new Error(out))), 'the worker to start', 60_000);
  return { child, output: () => out };
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

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
