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
import { deliveriesOfOutbox, outboxOf, settledOutbox, waitFor } from '../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../testing/provider-stand-ins.ts';
import { workerRedis } from './notifier.ts';

/*
 * `npm run worker` as a real process, killed (SIGKILL) after SES accepted the email and its message id was
 * recorded, while the SMS is still in flight. The next worker picks the job up again: the email is not
 * sent a second time, the SMS is.
 */

let database: TestDatabase;
let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
const appSecret = randomBytes(32).toString('base64url');
const prefix = `gk-kill-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  [database, ses, twilio] = await Promise.all([createTestDatabase(), startSesStandIn(), startTwilioStandIn()]);
});
afterAll(async () => {
  const connection = workerRedis(testRedisUrl());
  const queue = createNotificationQueue(connection, { prefix, maxAttempts: 1, backoffMs: 1 });
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  await Promise.all([ses?.close(), twilio?.close()]);
  await database?.drop();
});

async function startWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url!,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      APP_SECRET: appSecret,
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

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

it('a worker killed after the provider accepted (id recorded) does not make the next worker send again', async () => {
  const deps = { ...testDeps(database.db, { config: testConfig({ appSecret }) }), clock: systemClock };
  const first = await startWorker();
  const phone = '+442079463001';
  twilio.failFor(phone, ['hang']);
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { smsCountries: ['GB'] });
  const placed = await placeOrder(deps, {
    eventId,
    customer: { name: 'Killed Midway', email: 'killed@example.com', phone },
    lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
  });

  // The email is accepted and recorded; the SMS request is hanging at the provider.
  await waitFor(async () => twilio.attempts.some((a) => a.to === phone), 'the SMS request');
  const [message] = await outboxOf(deps.db, placed.orderId);
  const email = (await deliveriesOfOutbox(deps.db, message!.id)).find((d) => d.channel === 'email')!;
  expect(email).toMatchObject({ status: 'sent', transport: 'ses' });
  expect(email.providerMessageId).toMatch(/^ses-/);
  first.child.kill('SIGKILL');
  await exited(first.child);
  expect((await outboxOf(deps.db, placed.orderId))[0]!.status).toBe('queued');

  const second = await startWorker();
  try {
    const [done] = await settledOutbox(deps.db, placed.orderId, 60_000);
    expect(done!.status).toBe('sent');
    expect(done!.attempts).toBe(2);
    expect(ses.attempts.filter((a) => a.to === 'killed@example.com')).toHaveLength(1);
    expect(twilio.accepted.filter((m) => m.to === phone)).toHaveLength(1);
  } finally {
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }
}, 120_000);
