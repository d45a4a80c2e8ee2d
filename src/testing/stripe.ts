import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../db/client.ts';
import { createProviders } from '../modules/payments/index.ts';
import { createStripeProvider } from '../modules/payments/stripe/index.ts';
import { memoryRateLimiter } from '../shared/rate-limit.ts';
import { placeOrder } from '../modules/orders/index.ts';
import type { CreateOrderInput } from '../modules/orders/index.ts';
import { buildApp } from '../server/app.ts';
import { testDeps } from './app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { StripeStandIn } from './stripe-stand-in.ts';

export const TEST_WEBHOOK_SECRET = 'whsec_gatekeeper_test_secret';

/**
 * A test's Stripe world: the stand-in, deps whose current provider is the real SDK pointed at it, and
 * the real app (for POST /webhooks/stripe through app.inject).
 */
export async function stripeHarness(db: Db, opts: { maxNetworkRetries?: number } = {}) {
  const standIn = await new StripeStandIn().start();
  const deps = testDeps(db);
  const provider = createStripeProvider({
    secretKey: 'sk_test_gatekeeper',
    webhookSecret: TEST_WEBHOOK_SECRET,
    apiBase: standIn.url,
    limiter: memoryRateLimiter(1000),
    maxNetworkRetries: opts.maxNetworkRetries,
  });
  deps.payments = createProviders([provider]);
  const app = await buildApp({ deps, webhookLockTimeoutMs: 300 });

  /** Delivers an event as Stripe would: signed over the exact bytes, now (or at `timestamp`). */
  const deliver = (event: { id: string }, signing: { secret?: string; timestamp?: number } = {}) => {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: signing.secret ?? TEST_WEBHOOK_SECRET,
      timestamp: signing.timestamp,
    });
    return app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });
  };

  /** Places an order through Stripe Checkout and returns it with the stand-in's session. */
  const place = async (input: CreateOrderInput) => {
    const placed = await placeOrder(deps, input);
    const session = [...standIn.sessions.values()].find((s) => s.url === placed.paymentUrl);
    if (!session) throw new Error('no checkout session was created');
    return { ...placed, sessionId: session.id };
  };

  return {
    standIn,
    deps,
    app,
    provider,
    deliver,
    place,
    async close() {
      await app.close();
      await standIn.stop();
    },
  };
}

export type StripeHarness = Awaited<ReturnType<typeof stripeHarness>>;

/**
 * A test file's Stripe world, set up in beforeAll on a fresh database (PostgreSQL unless `open` says
 * otherwise) and torn down in afterAll. The returned object is filled in once beforeAll has run.
 */
export function useStripeHarness(open: () => Promise<TestDatabase> = createTestDatabase) {
  const world = {} as StripeHarness & { database: TestDatabase };
  beforeAll(async () => {
    const database = await open();
    Object.assign(world, await stripeHarness(database.db), { database });
  });
  afterAll(async () => {
    await world.close?.();
    await world.database?.drop();
  });
  return world;
}
