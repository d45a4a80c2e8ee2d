import Stripe from 'stripe';
import type { RateLimiter } from '../../../shared/rate-limit.ts';
import { endpointKey } from './rate-limit.ts';

/** How long one Stripe request may take before the SDK gives up (and retries, up to MAX_NETWORK_RETRIES). */
export const STRIPE_TIMEOUT_MS = 10_000;
// The SDK retries connection errors, 409s and 5xx with backoff, reusing the request's idempotency key.
const MAX_NETWORK_RETRIES = 2;

/** `http://127.0.0.1:12111` → the SDK's host/port/protocol options; undefined means api.stripe.com. */
export function apiBaseOptions(apiBase: string | undefined) {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? ('http' as const) : ('https' as const);
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/** Every request (retries included) waits for its endpoint's slot in the rate limiter first. */
function rateLimitedHttpClient(limiter: RateLimiter): Stripe.HttpClient {
  const inner = Stripe.createNodeHttpClient();
  return Object.assign(Object.create(inner) as Stripe.HttpClient, {
    async makeRequest(...args: Parameters<Stripe.HttpClient['makeRequest']>) {
      const [, , path, method] = args;
      const release = await limiter.acquire(endpointKey(method, path));
      try {
        return await inner.makeRequest(...args);
      } finally {
        await release();
      }
    },
  });
}

export function createStripeClient(opts: { secretKey: string; apiBase?: string; limiter: RateLimiter; maxNetworkRetries?: number }) {
  return new Stripe(opts.secretKey, {
    ...apiBaseOptions(opts.apiBase),
    timeout: STRIPE_TIMEOUT_MS,
    maxNetworkRetries: opts.maxNetworkRetries ?? MAX_NETWORK_RETRIES,
    httpClient: rateLimitedHttpClient(opts.limiter),
    appInfo: { name: 'gatekeeper-tickets' },
  });
}

/** Worth retrying later: Stripe unreachable, overloaded or failing on its side. */
export function isTransientStripeError(err: unknown): boolean {
  return (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    (err instanceof Stripe.errors.StripeError && (err.statusCode ?? 0) >= 500)
  );
}
