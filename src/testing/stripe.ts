import Stripe from 'stripe';
import type { Db } from '../db/client.ts';
import { createProviders } from '../modules/payments/index.ts';
import { createStripeProvider, memoryRateLimiter } from '../modules/payments/stripe/index.ts';
import { placeOrder } from '../modules/orders/index.ts';
import type { CreateOrderInput } from '../modules/orders/index.ts';
import { buildApp } from '../server/app.ts';
import { testDeps } from './app.ts';
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
    clock: deps.clock,
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
