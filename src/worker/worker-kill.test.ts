import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../config.ts';
import { placeOrder } from '../modules/orders/index.ts';
import { systemClock } from '../shared/clock.ts';
import { testDeps } from '../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testRedisUrl } from '../testing/env.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { deliveriesOfOutbox, outboxOf, settledOutbox, waitFor } from '../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../testing/provider-stand-ins.ts';
import { exitOf, obliterateQueue, spawnWorker } from '../testing/worker-process.ts';

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
  await obliterateQueue(prefix);
  await Promise.all([ses?.close(), twilio?.close()]);
  await database?.drop();
});

const startWorker = () => spawnWorker({ databaseUrl: database.url!, redisUrl: testRedisUrl(), queuePrefix: prefix, appSecret, ses, twilio });
const exited = exitOf;

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
