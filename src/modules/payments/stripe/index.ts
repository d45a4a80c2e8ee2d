import { Redis } from 'ioredis';
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
 * The provider as configured by STRIPE_* and REDIS_URL: with Redis every process shares one pace per
 * endpoint; without it each process keeps its own. close() ends the Redis connection.
 */
export function stripeProviderFromConfig(
  config: StripeConfig,
  opts: { redisUrl?: string; onRedisError?: (err: unknown) => void },
) {
  const redis = opts.redisUrl ? new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  redis?.on('error', (err) => opts.onRedisError?.(err));
  const limiter = redis
    ? redisRateLimiter(redis, { prefix: 'gatekeeper:stripe-rate:', max: config.rateLimitPerSecond, onRedisError: opts.onRedisError })
    : memoryRateLimiter(config.rateLimitPerSecond);
  const provider = createStripeProvider({ ...config, limiter });
  return { provider, close: async () => void (await redis?.quit()) };
}
