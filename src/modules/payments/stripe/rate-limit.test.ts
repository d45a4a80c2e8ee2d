import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../../testing/env.ts';
import { StripeStandIn } from '../../../testing/stripe-stand-in.ts';
import { createStripeClient } from './client.ts';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from '../../../shared/rate-limit.ts';
import { endpointKey } from './rate-limit.ts';

const PER_SECOND = 5;
let standIn: StripeStandIn;
const redisClients: Redis[] = [];

beforeAll(async () => {
  standIn = await new StripeStandIn().start();
});
afterAll(async () => {
  await standIn?.stop();
  await Promise.all(redisClients.map((r) => r.quit()));
});

const stripeWith = (limiter: RateLimiter) => createStripeClient({ secretKey: 'sk_test_rate', apiBase: standIn.url, limiter });

const createSession = (stripe: ReturnType<typeof stripeWith>, n: number) =>
  stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100 + n, product_data: { name: `t${n}` } } }],
    success_url: 'http://localhost/ok',
  });

/** The most requests that arrived at the stand-in within any window of one second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/**
 * Fires perClient creates from every client at once and returns their arrival times at the stand-in.
 * Each client sends one request first: a process's very first request pays one-time setup (tens of
 * ms) between leaving the limiter and arriving, which is not the jitter the limiter is about.
 */
async function burst(clients: ReturnType<typeof stripeWith>[], perClient: number) {
  await Promise.all(clients.map((c) => c.charges.retrieve('ch_Warmup1').catch(() => {})));
  const from = standIn.requests.length;
  await Promise.all(clients.flatMap((c, k) => Array.from({ length: perClient }, (_, n) => createSession(c, k * 100 + n))));
  return standIn.requests.slice(from).map((r) => r.at);
}

const sharedRedisLimiter = (prefix: string) => {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  redisClients.push(redis);
  return redisRateLimiter(redis, { prefix, max: PER_SECOND });
};

describe('outbound rate limit', () => {
  it('names endpoints without their ids', () => {
    expect(endpointKey('get', '/v1/checkout/sessions/cs_test_a1B2c3?expand[]=x')).toBe('GET /v1/checkout/sessions/:id');
    expect(endpointKey('GET', '/v1/payment_intents/pi_3NxYz')).toBe('GET /v1/payment_intents/:id');
  });

  it('one process: never more than N requests in any second at the receiving end', async () => {
    const times = await burst([stripeWith(memoryRateLimiter(PER_SECOND))], 12);
    expect(times).toHaveLength(12);
    expect(busiestSecond(times)).toBeLessThanOrEqual(PER_SECOND);
  });

  it('control: two processes pacing separately exceed N together (what the Redis limiter prevents)', async () => {
    const times = await burst([stripeWith(memoryRateLimiter(PER_SECOND)), stripeWith(memoryRateLimiter(PER_SECOND))], 6);
    expect(busiestSecond(times)).toBeGreaterThan(PER_SECOND);
  });

  it('two processes sharing Redis: never more than N requests in any second together', async () => {
    const prefix = `gk-test:stripe-rate:${Date.now()}-${Math.random().toString(36).slice(2)}:`;
    const times = await burst([stripeWith(sharedRedisLimiter(prefix)), stripeWith(sharedRedisLimiter(prefix))], 6);
    expect(times).toHaveLength(12);
    expect(busiestSecond(times)).toBeLessThanOrEqual(PER_SECOND);
  });

  it('keeps pacing on its own when Redis is unreachable', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    dead.on('error', () => {});
    let redisErrors = 0;
    const limiter = redisRateLimiter(dead, { prefix: 'gk-test:dead:', max: PER_SECOND, onRedisError: () => redisErrors++ });
    const times = await burst([stripeWith(limiter)], 8);
    dead.disconnect();
    expect(redisErrors).toBe(9); // the warm-up request and the 8 of the burst
    expect(busiestSecond(times)).toBeLessThanOrEqual(PER_SECOND);
  });
});
