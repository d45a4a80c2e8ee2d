import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { createTestEvent, customer } from '../testing/fixtures.ts';
import { postTrpc } from '../testing/http.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { StripeStandIn } from '../testing/stripe-stand-in.ts';

const WEBHOOK_SECRET = 'whsec_process_test';
let database: TestDatabase;
let standIn: StripeStandIn;
let server: ServerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  standIn = await new StripeStandIn().start();
  server = await startServerProcess({
    DATABASE_URL: database.url!,
    STRIPE_SECRET_KEY: 'sk_test_process',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: standIn.url,
    STRIPE_RATE_LIMIT_PER_SECOND: '20',
  });
});
afterAll(async () => {
  await server?.stop();
  await standIn?.stop();
  await database?.drop();
});

describe('configuration', () => {
  it('wants the Stripe key and webhook secret together', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(/set together/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'a', STRIPE_WEBHOOK_SECRET: 'b', STRIPE_API_BASE: 'ftp://x' })).toThrow(/STRIPE_API_BASE/);
    expect(loadConfig({}).stripe).toBeUndefined();
    expect(loadConfig({ STRIPE_SECRET_KEY: 'a', STRIPE_WEBHOOK_SECRET: 'b' }).stripe).toEqual({
      secretKey: 'a',
      webhookSecret: 'b',
      apiBase: undefined,
      rateLimitPerSecond: 20,
    });
  });
});

describe('a server started with STRIPE_* set', () => {
  it('sends priced orders to Stripe Checkout and takes the signed webhook', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(database.db, new Date(), { ticketTypes: [{ priceCents: 1800 }] });
    const res = await fetch(`${server.url}/trpc/orders.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] }),
    });
    const placed = (await res.json()).result.data as { orderId: string; token: string; paymentUrl: string };
    const session = [...standIn.sessions.values()].find((s) => s.url === placed.paymentUrl);
    expect(session).toBeDefined();

    const webhook = (payload: string, secret = WEBHOOK_SECRET) =>
      fetch(`${server.url}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) },
        body: payload,
      });
    const payload = JSON.stringify(standIn.event('checkout.session.completed', standIn.completeSession(session!.id).session));
    expect((await webhook(payload, 'whsec_wrong')).status).toBe(400);
    expect((await webhook(payload)).status).toBe(200);
    const order = (await postTrpc(server.url, 'orders.get', { orderId: placed.orderId, token: placed.token })).body!.result!.data as {
      tickets: unknown[];
    };
    expect(order).toMatchObject({ status: 'paid', payment: { provider: 'stripe', status: 'confirmed' } });
    expect(order.tickets).toHaveLength(1);
  });
});
