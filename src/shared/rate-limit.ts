import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/**
 * The one outbound rate limiter (email and SMS providers, Stripe's endpoints): at most `max` requests per
 * key in any window at the provider. Call `acquire(key)` before the request and the returned `release`
 * when the provider answered.
 *
 * A request holds its slot from the moment it starts until one window after its answer arrived. The
 * provider sees the request somewhere between those two moments, so two requests of the same slot reach
 * it at least a window apart — whatever the network or a busy event loop does to the timing. (Counting
 * per clock window, as most limiter libraries do, lets N requests end one window and N more start the
 * next.) With Redis the slots live in one sorted set per key, taken by a Lua script on Redis' own clock,
 * so every process and machine shares them.
 */
export type RateLimiter = { acquire(key?: string): Promise<() => Promise<void>> };

export const RATE_WINDOW_MS = 1000;
// A request whose process died never releases; its slot frees itself after this long.
const IN_FLIGHT_LEASE_MS = 60_000;
const POLL_CAP_MS = 100;

/** One process's limiter (no Redis configured, or the fallback while Redis is unreachable). */
export function memoryRateLimiter(max: number, windowMs = RATE_WINDOW_MS): RateLimiter {
  const slotsByKey = new Map<string, { freeAt: number }[]>();
  return {
    async acquire(key = '') {
      for (;;) {
        const now = Date.now();
        const slots = (slotsByKey.get(key) ?? []).filter((s) => s.freeAt > now);
        slotsByKey.set(key, slots);
        if (slots.length < max) {
          const slot = { freeAt: Infinity };
          slots.push(slot);
          return async () => {
            slot.freeAt = Date.now() + windowMs;
          };
        }
        await sleep(Math.min(POLL_CAP_MS, Math.max(1, Math.min(...slots.map((s) => s.freeAt)) - now)));
      }
    },
  };
}

// Atomic in Redis, timed by Redis' own clock so processes on different machines agree. A member's score
// is the time its slot frees up. Returns 0 when the caller got a slot, else how many ms to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[4]))
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(first[2]) - now + 1
`;

// The answer arrived: the slot frees up one window from now.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
`;

export type RedisRateLimiterOptions = {
  /** Redis key prefix; a request's key is appended. */
  prefix: string;
  max: number;
  windowMs?: number;
  /**
   * Given: a Redis failure is reported here and the request is paced by this process alone (Stripe calls
   * must not fail because Redis did). Omitted: the failure is thrown (a queued job retries later).
   */
  onRedisError?: (err: unknown) => void;
};

/** A limiter every process shares through Redis: the rate holds across processes and machines. */
export function redisRateLimiter(redis: Redis, opts: RedisRateLimiterOptions): RateLimiter {
  const windowMs = opts.windowMs ?? RATE_WINDOW_MS;
  const fallback = opts.onRedisError ? memoryRateLimiter(opts.max, windowMs) : undefined;
  const orFallback = async <T>(work: () => Promise<T>, onError: () => Promise<T>) => {
    try {
      return await work();
    } catch (err) {
      if (!opts.onRedisError) throw err;
      opts.onRedisError(err);
      return onError();
    }
  };
  return {
    async acquire(key = '') {
      const redisKey = `${opts.prefix}${key}`;
      const member = randomUUID();
      const took = await orFallback(
        async () => {
          for (;;) {
            const wait = Number(await redis.eval(ACQUIRE, 1, redisKey, opts.max, IN_FLIGHT_LEASE_MS, member, windowMs));
            if (wait <= 0) return true;
            await sleep(Math.min(wait, POLL_CAP_MS));
          }
        },
        async () => false,
      );
      if (!took) return fallback!.acquire(key);
      return () => orFallback(async () => void (await redis.eval(RELEASE, 1, redisKey, member, windowMs)), async () => undefined);
    },
  };
}
