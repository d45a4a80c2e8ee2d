import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import { buildApp } from '../../server/app.ts';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { decodeQrPng, quietLog, settledOutbox, waitFor } from '../../testing/notifications.ts';
import { startServerDelivery, type Stoppable } from '../../worker/notifier.ts';
import { placeOrder } from '../orders/index.ts';
import { ticketsOfOrder } from '../tickets/index.ts';

/* The embedded default: PGlite, no Redis, no providers — messages become files and /dev/mailbox lists them. */

let database: TestDatabase;
let dataDir: string;
let deps: ReturnType<typeof testDeps>;
let delivery: Stoppable;

beforeAll(async () => {
  database = await createPgliteTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'gk-mailbox-'));
  deps = testDeps(database.db, { config: { dataDir } });
  delivery = await startServerDelivery(deps, quietLog);
});
afterAll(async () => {
  await delivery?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const outboxFiles = () => readdirSync(path.join(dataDir, 'outbox')).sort();

async function paidOrder() {
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ name: 'Community' }], smsCountries: ['US'] });
  const placed = await callerFor(deps).orders.create({
    eventId,
    customer: { name: 'Grace Hopper', email: 'grace@example.com', phone: '+1 415 555 2671' },
    lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
  });
  expect(placed.status).toBe('paid');
  return placed;
}

describe('embedded delivery', () => {
  it('writes the email as .eml (with an HTML preview) and the SMS as .txt, listed at /dev/mailbox', async () => {
    const placed = await paidOrder();
    const [message] = await settledOutbox(deps.db, placed.orderId);
    expect(message!.status).toBe('sent');
    const files = outboxFiles();
    const eml = files.find((f) => f.endsWith('.eml'))!;
    const sms = files.find((f) => f.endsWith('.txt'))!;
    expect(eml && sms).toBeTruthy();

    const app = await buildApp({ deps });
    try {
      const list = await app.inject({ method: 'GET', url: '/dev/mailbox' });
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(eml.replace(/\.eml$/, '.html'));
      expect(list.body).toContain(sms);

      const raw = await app.inject({ method: 'GET', url: `/dev/mailbox/${eml}` });
      expect(raw.statusCode).toBe(200);
      const mail = await simpleParser(raw.rawPayload);
      const [ticket] = await ticketsOfOrder(deps.db, placed.orderId);
      expect(mail.text).toContain(ticket!.code);
      expect(decodeQrPng(mail.attachments[0]!.content)).toBe(ticket!.secret);

      const preview = await app.inject({ method: 'GET', url: `/dev/mailbox/${eml.replace(/\.eml$/, '.html')}` });
      expect(preview.headers['content-type']).toContain('text/html');
      expect(preview.body).toContain('data:image/png;base64,');

      const text = await app.inject({ method: 'GET', url: `/dev/mailbox/${sms}` });
      expect(text.body).toContain('To: +14155552671');
      expect(text.body).toContain(ticket!.code);

      // From another machine only a signed-in admin may look.
      const remote = { remoteAddress: '203.0.113.7' };
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox', ...remote })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: `/dev/mailbox/${eml}`, ...remote })).statusCode).toBe(403);
      const { email, password } = await userCaller(deps, 'admin');
      const signIn = await app.inject({ method: 'POST', url: '/trpc/auth.login', payload: { email, password }, ...remote });
      const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox', headers: { cookie }, ...remote })).statusCode).toBe(200);

      for (const bad of ['..%2Fsecret', '..%2F..%2Fetc%2Fpasswd', 'nothing.eml', 'x.js']) {
        expect((await app.inject({ method: 'GET', url: `/dev/mailbox/${bad}` })).statusCode).toBe(404);
      }
    } finally {
      await app.close();
    }
  });

  it('/dev/mailbox does not exist in production', async () => {
    const app = await buildApp({ deps: { ...deps, config: testConfig({ dataDir, nodeEnv: 'production' }) } });
    try {
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: `/dev/mailbox/${outboxFiles()[0]}` })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('customers can have their tickets sent again a few times an hour; admins without limit', async () => {
    const placed = await paidOrder();
    await settledOutbox(deps.db, placed.orderId);
    const customerCaller = callerFor(deps);
    const limit = deps.config.notifications.resendPerHour;
    for (let i = 0; i < limit; i++) await customerCaller.orders.resendTickets({ orderId: placed.orderId, token: placed.token });
    await expect(customerCaller.orders.resendTickets({ orderId: placed.orderId, token: placed.token })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    await expect(customerCaller.orders.resendTickets({ orderId: placed.orderId, token: 'x'.repeat(43) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(customerCaller.admin.resendOrderTickets({ orderId: placed.orderId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const { caller: admin } = await userCaller(deps, 'admin');
    await admin.admin.resendOrderTickets({ orderId: placed.orderId });
    const messages = await waitFor(async () => {
      const rows = await settledOutbox(deps.db, placed.orderId);
      return rows.length === limit + 2 && rows;
    }, 'the resent messages');
    expect(messages.map((m) => [m.type, m.status])).toEqual([
      ['order.paid', 'sent'],
      ...Array.from({ length: limit + 1 }, () => ['order.tickets_resent', 'sent']),
    ]);
    // An hour later the customer may ask again.
    deps.clock.advance(3600_000 + 1);
    await expect(customerCaller.orders.resendTickets({ orderId: placed.orderId, token: placed.token })).resolves.toEqual({ queued: true });
  });

  it('an unpaid order has nothing to resend', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 500 }] });
    const placed = await placeOrder(deps, {
      eventId,
      customer: { name: 'Pending Payer', email: 'pending@example.com' },
      lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
    });
    await expect(callerFor(deps).orders.resendTickets({ orderId: placed.orderId, token: placed.token })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
