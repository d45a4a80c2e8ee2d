import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import { systemClock } from '../../shared/clock.ts';
import { testDeps } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { outboxOf, quietLog, settledOutbox, standInTransports, waitFor } from '../../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../../testing/provider-stand-ins.ts';
import { startOwnRedis } from '../../testing/redis-server.ts';
import { createNotifier, producerRedis, workerRedis } from '../../worker/notifier.ts';
import { placeOrder } from '../orders/index.ts';
import { createNotificationQueue, startQueueWorker, startRelay } from './index.ts';

/*
 * Redis goes away (our own redis-server, killed: its data is lost as in a crash without persistence)
 * while orders are paid. Orders still succeed, the outbox keeps their messages, and everything is
 * delivered exactly once when Redis is back — including a job that was in Redis when it died.
 */

let database: TestDatabase;
let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;

beforeAll(async () => {
  [database, ses, twilio, redis] = await Promise.all([createTestDatabase(), startSesStandIn(), startTwilioStandIn(), startOwnRedis()]);
});
afterAll(async () => {
  await Promise.all([ses?.close(), twilio?.close(), redis?.stop()]);
  await database?.drop();
});

it('orders paid while Redis is down are delivered once it is back, none twice', async () => {
  const prefix = 'outage';
  const config = testConfig({ notifications: { ...testConfig().notifications, queuePrefix: prefix, emailPerSecond: 50, smsPerSecond: 50, backoffMs: 100 } });
  const deps = { ...testDeps(database.db, { config }), clock: systemClock };
  const workerConn = workerRedis(redis.url);
  const producer = producerRedis(redis.url);
  for (const c of [workerConn, producer]) c.on('error', () => {});
  const worker = startQueueWorker(createNotifier(deps, quietLog, { redis: workerConn, transports: standInTransports(ses, twilio) }), workerConn, { prefix });
  const queue = createNotificationQueue(producer, { prefix, maxAttempts: 10, backoffMs: 100 });
  queue.on('error', () => {});
  // A short requeue time stands in for the default 10 minutes after which a queued row is relayed again.
  const relay = startRelay({ db: deps.db, clock: deps.clock, queue, log: quietLog, intervalMs: 100, requeueAfterMs: 2000 });

  try {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: null }], smsCountries: ['GB'] });
    let n = 0;
    const pay = async () => {
      const i = ++n;
      const placed = await placeOrder(deps, {
        eventId,
        customer: { name: `Buyer ${i}`, email: `outage${i}@example.com`, phone: `+4420794620${String(i).padStart(2, '0')}` },
        lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
      });
      expect(placed.status).toBe('paid');
      return placed.orderId;
    };

    const before = [await pay(), await pay()];
    for (const id of before) expect((await settledOutbox(deps.db, id))[0]!.status).toBe('sent');

    // A message reaches Redis but no worker takes it before Redis dies: the job is lost with Redis.
    await worker.pause();
    const lostInRedis = await pay();
    await waitFor(async () => (await outboxOf(deps.db, lostInRedis))[0]!.status === 'queued', 'the message to be queued');
    await redis.stop();

    const during = [await pay(), await pay(), await pay()];
    await sleep(1500); // the relay tries and fails meanwhile
    for (const id of during) expect((await outboxOf(deps.db, id))[0]!.status).toBe('pending');

    await redis.start();
    worker.resume();
    const all = [...before, lostInRedis, ...during];
    for (const id of all) expect((await settledOutbox(deps.db, id, 60_000))[0]!.status).toBe('sent');

    for (let i = 1; i <= all.length; i++) {
      expect(ses.accepted.filter((m) => m.to === `outage${i}@example.com`), `email ${i}`).toHaveLength(1);
      expect(twilio.accepted.filter((m) => m.to === `+4420794620${String(i).padStart(2, '0')}`), `sms ${i}`).toHaveLength(1);
    }
  } finally {
    await relay.stop();
    await worker.close();
    await queue.close();
    workerConn.disconnect();
    producer.disconnect();
  }
}, 120_000);
