import type { Redis } from 'ioredis';

/**
 * Outbound request pacing: at most `perSecond` requests per key (a Stripe endpoint) in any one-second
 * window. Each request reserves the next free slot, `interval` after the previous one, and waits for it.
 *
 * Why slots instead of counting per window: a fixed window (N per clock second, as most limiter
 * libraries do) lets N requests end one window and N more start the next — 2N within a few
 * milliseconds. Slots spaced 1/N s apart never put more than N in any second, and the wait queue
 * needs no retry loop. With Redis the last slot lives in one key and is taken by a Lua script on
 * Redis's own clock, so every process shares the same pace.
 */
export type RateLimiter = { acquire(key: string): Promise<void> };

// Slots are spread 25 % wider than 1/N s: a request that leaves late or travels slowly (a busy event
// loop on a 2-core box, a slow network hop) still can't squeeze N+1 requests into one second on the
// receiving side. 10 % was measured to be too little under a full test run's load.
const JITTER_MARGIN = 1.25;

export const slotIntervalMs = (perSecond: number) => Math.ceil((1000 / perSecond) * JITTER_MARGIN);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pacing within this process only (no REDIS_URL, or Redis unreachable). */
export function memoryRateLimiter(perSecond: number): RateLimiter {
  const interval = slotIntervalMs(perSecond);
  const lastSlot = new Map<string, number>();
  return {
    async acquire(key) {
      const now = Date.now();
      const slot = Math.max(now, (lastSlot.get(key) ?? 0) + interval);
      lastSlot.set(key, slot);
      if (slot > now) await sleep(slot - now);
    },
  };
}

// Returns how many ms the caller waits for its slot. TIME makes all processes agree on "now".
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, last + interval)
redis.call('SET', KEYS[1], slot, 'PX', slot - now + interval)
return slot - now
`;

/** Pacing shared by every process using the same Redis and prefix; falls back to local pacing when Redis fails. */
export function redisRateLimiter(
  redis: Redis,
  perSecond: number,
  opts: { prefix: string; onRedisError?: (err: unknown) => void },
): RateLimiter {
  const interval = slotIntervalMs(perSecond);
  const fallback = memoryRateLimiter(perSecond);
  return {
    async acquire(key) {
      let wait: number;
      try {
        wait = Number(await redis.eval(TAKE_SLOT, 1, `${opts.prefix}${key}`, interval));
      } catch (err) {
        opts.onRedisError?.(err);
        return fallback.acquire(key);
      }
      if (wait > 0) await sleep(wait);
    },
  };
}

/** `POST /v1/checkout/sessions/cs_123/expire` → `POST /v1/checkout/sessions/:id/expire`: one key per endpoint. */
export function endpointKey(method: string, path: string): string {
  const route = path
    .split('?')[0]!
    .split('/')
    // Stripe ids are a prefix, an underscore and mixed-case letters and digits (cs_test_a1B2…, pi_3Nx…).
    .map((segment) => (/^[a-z]+_\w+$/.test(segment) && /[0-9A-Z]/.test(segment) ? ':id' : segment))
    .join('/');
  return `${method.toUpperCase()} ${route}`;
}
