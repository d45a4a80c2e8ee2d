import type { Redis } from 'ioredis';
import type Stripe from 'stripe';
import type { StripeConfig } from '../../../config.ts';
import type { PaymentEvent, PaymentProvider } from '../dto.ts';
import { refundStripePayment, startStripeCheckout } from './checkout.ts';
import { createStripeClient, isTransientStripeError } from './client.ts';
import { readStripeEvent } from './events.ts';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from '../../../shared/rate-limit.ts';

export { isTransientStripeError };

/** Stripe as a payment provider, plus what its webhook endpoint needs: verifying and reading events. */
export type StripeProvider = PaymentProvider & {
  readonly name: 'stripe';
  /** Throws on a bad signature or a timestamp outside the tolerance (Stripe's default, 5 minutes). */
  verifyEvent(rawBody: Buffer | string, signature: string | string[] | undefined): Stripe.Event;
  readEvent(event: Stripe.Event): Promise<PaymentEvent>;
};

export function isStripeProvider(p: PaymentProvider | undefined): p is StripeProvider {
  return p?.name === 'stripe' && typeof (p as Partial<StripeProvider>).verifyEvent === 'function';
}

export function createStripeProvider(opts: {
  secretKey: string;
  webhookSecret: string;
  apiBase?: string;
  limiter: RateLimiter;
  maxNetworkRetries?: number;
}): StripeProvider {
  const stripe = createStripeClient(opts);
  return {
    name: 'stripe',
    startCheckout: (req) => startStripeCheckout(stripe, req),
    refund: (payment, reason, refundOpts) => refundStripePayment(stripe, payment, reason, refundOpts),
    verifyEvent(rawBody, signature) {
      const header = Array.isArray(signature) ? signature.join(',') : (signature ?? '');
      return stripe.webhooks.constructEvent(rawBody, header, opts.webhookSecret);
    },
    readEvent: (event) => readStripeEvent(stripe, event),
  };
}

/**
 * The provider as configured by STRIPE_*, paced on the process's Redis connection when there is one: then
 * every process shares one pace per endpoint; without it each process keeps its own.
 */
export function stripeProviderFromConfig(config: StripeConfig, opts: { redis?: Redis; onRedisError?: (err: unknown) => void }) {
  const limiter = opts.redis
    ? redisRateLimiter(opts.redis, { prefix: 'gatekeeper:stripe-rate:', max: config.rateLimitPerSecond, onRedisError: opts.onRedisError })
    : memoryRateLimiter(config.rateLimitPerSecond);
  return createStripeProvider({ ...config, limiter });
}
