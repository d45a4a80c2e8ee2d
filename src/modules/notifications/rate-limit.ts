import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/**
 * Waits until one more send fits the provider's rate; call the returned `done` when the provider answered.
 *
 * A send holds its slot from the moment it starts until one window after its answer arrived. The provider
 * sees the request somewhere between those two moments, so two sends of the same slot reach it at least
 * a window apart — whatever the network or a busy event loop does to the timing. Hence: never more than
 * `max` sends in any window at the provider, across all workers sharing the limiter.
 */
export type RateLimiter = { acquire(): Promise<() => Promise<void>> };

export const RATE_WINDOW_MS = 1000;
// A send whose worker died never calls done(); its slot frees itself after this long.
const IN_FLIGHT_LEASE_MS = 60_000;
const POLL_CAP_MS = 100;

/** One process's limiter (the embedded dispatcher). */
export function memoryRateLimiter(max: number, windowMs = RATE_WINDOW_MS): RateLimiter {
  let slots: { freeAt: number }[] = [];
  return {
    async acquire() {
      for (;;) {
        const now = Date.now();
        slots = slots.filter((s) => s.freeAt > now);
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

// Atomic in Redis, timed by Redis' own clock so workers on different machines agree. A member's score is
// the time its slot frees up. Returns 0 when the caller got a slot, else how many ms to wait.
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

/** A limiter every worker shares through Redis: the rate holds across processes and machines. */
export function redisRateLimiter(redis: Redis, key: string, max: number, windowMs = RATE_WINDOW_MS): RateLimiter {
  return {
    async acquire() {
      const member = randomUUID();
      for (;;) {
        const wait = Number(await redis.eval(ACQUIRE, 1, key, max, IN_FLIGHT_LEASE_MS, member, windowMs));
        if (wait <= 0) break;
        await sleep(Math.min(wait, POLL_CAP_MS));
      }
      return async () => {
        await redis.eval(RELEASE, 1, key, member, windowMs);
      };
    },
  };
}
