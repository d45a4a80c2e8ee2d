import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import { placeOrder, getOrder } from '../orders/index.ts';
import { ticketsOfOrder } from '../tickets/index.ts';
import { systemClock } from '../../shared/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testRedisUrl } from '../../testing/env.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { startSesStandIn, startTwilioStandIn } from '../../testing/provider-stand-ins.ts';
import { decodeQrPng, deliveriesOfOutbox, maxInAnyWindow, quietLog, settledOutbox, standInTransports } from '../../testing/notifications.ts';
import { createNotifier, producerRedis, workerRedis } from '../../worker/notifier.ts';
import { createNotificationQueue, startQueueWorker, startRelay } from './index.ts';

/*
 * The Redis pipeline end to end: outbox → relay → BullMQ → worker → real SES / Twilio SDKs → stand-ins.
 * Shared Redis, with a queue prefix of its own per suite.
 */

let database: TestDatabase;
let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;

beforeAll(async () => {
  [database, ses, twilio] = await Promise.all([createTestDatabase(), startSesStandIn(), startTwilioStandIn()]);
});
afterAll(async () => {
  await Promise.all([ses?.close(), twilio?.close()]);
  await database?.drop();
});

/** A pipeline like `npm run worker` runs, in this process: relay + `workers` BullMQ workers. */
async function startPipeline(settings: { emailPerSecond: number; smsPerSecond: number; maxAttempts: number; backoffMs: number }, workers = 1) {
  const prefix = `gk-test-${randomBytes(4).toString('hex')}`;
  const config = testConfig({ notifications: { ...testConfig().notifications, ...settings, queuePrefix: prefix } });
  const deps = { ...testDeps(database.db, { config }), clock: systemClock };
  const connections: Redis[] = [];
  const started: Worker[] = [];
  for (let i = 0; i < workers; i++) {
    const redis = workerRedis(testRedisUrl());
    connections.push(redis);
    const notifier = createNotifier(deps, quietLog, { redis, transports: standInTransports(ses, twilio) });
    started.push(startQueueWorker(notifier, redis, { prefix, concurrency: 8 }));
  }
  const producer = producerRedis(testRedisUrl());
  await producer.ping().catch(async () => {
    await new Promise((r) => producer.once('ready', r));
  });
  const queue = createNotificationQueue(producer, { prefix, maxAttempts: settings.maxAttempts, backoffMs: settings.backoffMs });
  const relay = startRelay({ db: deps.db, clock: deps.clock, queue, log: quietLog, intervalMs: 100 });
  return {
    deps,
    async stop() {
      await relay.stop();
      await Promise.all(started.map((w) => w.close()));
      await queue.obliterate({ force: true });
      await queue.close();
      for (const c of [...connections, producer]) c.disconnect();
    },
  };
}

let seq = 0;
/** A customer of our own (so stand-in failures can be armed for them before the order is paid). */
function newCustomer(withPhone = false) {
  const n = ++seq;
  const digits = String(1000 + (n % 9000)).slice(-4);
  return {
    name: `Customer ${n}`,
    email: `buyer${n}-${randomBytes(3).toString('hex')}@example.com`,
    // As orders.create's input schema would have normalized it.
    phone: withPhone ? `+44207946${digits}` : undefined,
    e164: `+44207946${digits}`,
  };
}

async function payFor(deps: Parameters<typeof placeOrder>[0], c: ReturnType<typeof newCustomer>, event?: { eventId: string; ticketTypeId: string }) {
  let ev = event;
  if (!ev) {
    const created = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ name: 'Standing', capacity: null }], smsCountries: ['GB'] });
    ev = { eventId: created.eventId, ticketTypeId: created.ticketTypeIds[0]! };
  }
  const placed = await placeOrder(deps, {
    eventId: ev.eventId,
    customer: { name: c.name, email: c.email, phone: c.phone },
    lines: [{ ticketTypeId: ev.ticketTypeId, quantity: 1 }],
  });
  expect(placed.status).toBe('paid');
  return placed;
}

describe('notifications through BullMQ', () => {
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  beforeAll(async () => {
    pipeline = await startPipeline({ emailPerSecond: 50, smsPerSecond: 50, maxAttempts: 4, backoffMs: 150 });
  });
  afterAll(() => pipeline?.stop());

  it('a paid order gets exactly one email (QR decodes to each ticket secret) and one SMS', async () => {
    const { deps } = pipeline;
    const { eventId, ticketTypeIds, addOnIds } = await createTestEvent(deps.db, deps.clock(), {
      ticketTypes: [{ name: 'Standing' }, { name: 'Balcony' }],
      addOns: [{ name: 'Drink token', maxPerTicket: 3 }],
      smsCountries: ['GB'],
    });
    const placed = await placeOrder(deps, {
      eventId,
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+442079460958' },
      lines: [
        { ticketTypeId: ticketTypeIds[0]!, quantity: 1, addOns: [{ addOnId: addOnIds[0]!, quantity: 2 }] },
        { ticketTypeId: ticketTypeIds[1]!, quantity: 1 },
      ],
    });
    const [message] = await settledOutbox(deps.db, placed.orderId);
    expect(message!.lastError).toBeNull();
    expect(message!.status).toBe('sent');

    const emails = ses.accepted.filter((m) => m.to === 'ada@example.com');
    expect(emails).toHaveLength(1);
    const mail = await simpleParser(emails[0]!.raw, { keepCidLinks: true });
    const issued = await ticketsOfOrder(deps.db, placed.orderId);
    expect(issued).toHaveLength(2);
    expect(mail.subject).toContain('Your tickets');
    expect(mail.html).toBeTruthy();
    const text = mail.text!;
    expect(text).toContain('Ada Lovelace');
    expect(text).toContain('Standing');
    expect(text).toContain('Balcony');
    expect(text).toContain('2 × Drink token');
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images).toHaveLength(2);
    for (const t of issued) {
      expect(text).toContain(`Code: ${t.code}`);
      const image = images.find((a) => a.cid === `qr-${t.id}@gatekeeper`);
      expect(image, `inline QR of ticket ${t.id}`).toBeDefined();
      expect(mail.html).toContain(`cid:qr-${t.id}@gatekeeper`);
      expect(decodeQrPng(image!.content)).toBe(t.secret);
    }

    // The link opens the order although only the hash of the customer's own token is stored.
    const link = /(http\S+\/orders\/\S+)/.exec(text)![1]!;
    const token = decodeURIComponent(new URL(link).hash.replace('#token=', ''));
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect((await getOrder(deps, { orderId: placed.orderId, token })).status).toBe('paid');

    const sms = twilio.accepted.filter((m) => m.to === '+442079460958');
    expect(sms).toHaveLength(1);
    for (const t of issued) expect(sms[0]!.body).toContain(t.code);
    expect(sms[0]!.body).toContain(link);
    expect(sms[0]!.body).toContain((await getOrder(deps, placed)).event.name);

    const deliveries = await deliveriesOfOutbox(deps.db, message!.id);
    expect(deliveries.map((d) => [d.channel, d.status, d.transport]).sort()).toEqual([
      ['email', 'sent', 'ses'],
      ['sms', 'sent', 'twilio'],
    ]);
    expect(deliveries.find((d) => d.channel === 'sms')!.providerMessageId).toBe(sms[0]!.sid);
  });

  it('retries a provider 500 and throttling with growing delays, then delivers once', async () => {
    const c = newCustomer(true);
    ses.failFor(c.email, [{ status: 500 }, { status: 429, type: 'TooManyRequestsException' }]);
    twilio.failFor(c.e164, [{ status: 429 }]);
    const order = await payFor(pipeline.deps, c);
    const [message] = await settledOutbox(pipeline.deps.db, order.orderId);
    const tries = ses.attempts.filter((a) => a.to === c.email);
    expect(message!.status).toBe('sent');
    expect(tries).toHaveLength(3);
    // Exponential backoff from 150 ms: at least 150 ms, then at least 300 ms.
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(140);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(290);
    expect(ses.accepted.filter((m) => m.to === c.email)).toHaveLength(1);
    expect(twilio.accepted.filter((m) => m.to === c.e164)).toHaveLength(1);
    expect(twilio.attempts.filter((a) => a.to === c.e164)).toHaveLength(2);
  });

  it('a permanent rejection fails at once, visible to admins; no retries', async () => {
    const c = newCustomer();
    ses.failFor(c.email, [{ status: 400, type: 'MessageRejected' }]);
    const order = await payFor(pipeline.deps, c);
    const [message] = await settledOutbox(pipeline.deps.db, order.orderId);
    expect(message!.status).toBe('failed');
    const { caller } = await userCaller(pipeline.deps, 'admin');
    const failed = (await caller.admin.listFailedNotifications()).find((f) => f.outboxId === message!.id);
    expect(failed).toMatchObject({ type: 'order.paid', orderId: order.orderId, attempts: 1 });
    expect(failed!.lastError).toContain('SES 400');
    expect(failed!.deliveries).toEqual([expect.objectContaining({ channel: 'email', status: 'failed' })]);
    // Nothing loops: later passes of the relay and worker leave it alone.
    await sleep(800);
    expect(ses.attempts.filter((a) => a.to === c.email)).toHaveLength(1);
    await expect(callerFor(pipeline.deps).admin.listFailedNotifications()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a provider that keeps failing ends in the failed state after the last attempt; the channel that worked is not resent', async () => {
    const c = newCustomer(true);
    twilio.failFor(c.e164, Array.from({ length: 10 }, () => ({ status: 503 })));
    const order = await payFor(pipeline.deps, c);
    const [message] = await settledOutbox(pipeline.deps.db, order.orderId);
    expect(message!.status).toBe('failed');
    expect(message!.attempts).toBe(4);
    expect(twilio.attempts.filter((a) => a.to === c.e164)).toHaveLength(4);
    expect(ses.accepted.filter((m) => m.to === c.email)).toHaveLength(1);
    const deliveries = await deliveriesOfOutbox(pipeline.deps.db, message!.id);
    expect(deliveries.find((d) => d.channel === 'email')!.status).toBe('sent');
    expect(deliveries.find((d) => d.channel === 'sms')).toMatchObject({ status: 'failed', attempts: 4 });

    // An admin retries it once the provider works again: only the SMS goes out.
    twilio.failFor(c.e164, []);
    const { caller } = await userCaller(pipeline.deps, 'admin');
    await caller.admin.retryNotification({ outboxId: message!.id });
    await settledOutbox(pipeline.deps.db, order.orderId);
    expect(twilio.accepted.filter((m) => m.to === c.e164)).toHaveLength(1);
    expect(ses.accepted.filter((m) => m.to === c.email)).toHaveLength(1);
  });
});

describe('send-rate limit across workers', () => {
  it('never exceeds the limit in any 1-second window under a burst of 200 messages', async () => {
    const limit = 20;
    // All 200 are paid first, so the relay hands the workers one burst.
    const deps = { ...testDeps(database.db), clock: systemClock };
    const created = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: null }] });
    const event = { eventId: created.eventId, ticketTypeId: created.ticketTypeIds[0]! };
    const customers = Array.from({ length: 200 }, () => newCustomer());
    const orders = [];
    for (let i = 0; i < customers.length; i += 10) {
      orders.push(...(await Promise.all(customers.slice(i, i + 10).map((c) => payFor(deps, c, event)))));
    }
    const pipeline = await startPipeline({ emailPerSecond: limit, smsPerSecond: limit, maxAttempts: 3, backoffMs: 100 }, 2);
    try {
      for (const o of orders) await settledOutbox(pipeline.deps.db, o.orderId, 240_000);
      const mine = new Set(customers.map((c) => c.email));
      const sent = ses.accepted.filter((m) => mine.has(m.to));
      expect(sent).toHaveLength(200);
      expect(new Set(sent.map((m) => m.to)).size).toBe(200);
      const busiest = maxInAnyWindow(sent.map((m) => m.at), 1000);
      console.info(`rate limit ${limit}/s: busiest 1-second window held ${busiest}; 200 sends took ${Math.max(...sent.map((m) => m.at)) - Math.min(...sent.map((m) => m.at))} ms`);
      expect(busiest).toBeLessThanOrEqual(limit);
    } finally {
      await pipeline.stop();
    }
  }, 300_000);
});
