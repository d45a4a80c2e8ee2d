import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../config.ts';
import { AppError } from './errors.ts';

/** A limit: `points` calls per `seconds`, with the message a refused caller reads. */
export type LimitRule = { points: number; seconds: number; message: string };

/** Every limit by name, from the configuration (README "Abuse limits" says how the defaults were chosen). */
export function limitRulesOf(limits: LimitsConfig) {
  return {
    login: { points: limits.loginPerMinute, seconds: 60, message: 'Too many sign-in attempts from your network' },
    ordersPerBuyer: { points: limits.ordersPerBuyerPerMinute, seconds: 60, message: 'Too many orders from you' },
    ordersPerIp: { points: limits.ordersPerIpPerMinute, seconds: 60, message: 'Too many orders from your network' },
    // Counted in 10-second windows: a burst can't spend a minute's reads at once and fill the database pool.
    orderReads: { points: Math.ceil(limits.orderReadsPerMinute / 6), seconds: 10, message: 'Too many order look-ups from your network' },
    // Each download may render a PDF or sign a pass: a person downloads a handful, a script is stopped.
    ticketDownloads: { points: limits.ticketDownloadsPerMinute, seconds: 60, message: 'Too many ticket downloads from your network' },
    freeOrdersPerRecipient: {
      points: limits.freeOrdersPerRecipientPerHour,
      seconds: 3600,
      message: 'Tickets were sent to this contact several times in the last hour',
    },
    freeOrdersPerIp: { points: limits.freeOrdersPerIpPerHour, seconds: 3600, message: 'Too many free orders from your network' },
    voucherChecks: { points: limits.voucherChecksPerMinute, seconds: 60, message: 'Too many voucher codes tried from your network' },
    waitlistJoinsPerIp: { points: limits.waitlistJoinsPerIpPerHour, seconds: 3600, message: 'Too many waiting-list sign-ups from your network' },
    waitlistJoinsPerEmail: {
      points: limits.waitlistJoinsPerEmailPerHour,
      seconds: 3600,
      message: 'This email address joined waiting lists several times in the last hour',
    },
    // Per device, never per address: a venue's phones often share one.
    gateSnapshots: { points: limits.gateSnapshotsPerMinute, seconds: 60, message: 'Too many ticket-list downloads from this scanner' },
    gateUploads: { points: limits.gateUploadsPerMinute, seconds: 60, message: 'Too many scan uploads from this scanner' },
    // Per user: each export reads a whole event.
    exports: { points: limits.exportsPerMinute, seconds: 60, message: 'Too many exports' },
    gateAddOns: { points: limits.gateAddOnsPerMinute, seconds: 60, message: 'Too many add-on redemptions from this scanner' },
  } satisfies Record<string, LimitRule>;
}

export type LimitName = keyof ReturnType<typeof limitRulesOf>;

/**
 * Counts calls, not HTTP requests: every procedure call (each item of a tRPC batch) takes a point, so a
 * batch of 40 sign-ins costs what 40 requests cost. Counters live in Redis when the app has it (all
 * processes and boxes share them), else in process memory; a Redis outage falls back to memory rather
 * than letting everything through or refusing everyone.
 */
export type CallLimits = {
  /** Takes one point from `name` for `key`; throws AppError('RATE_LIMITED') with retryAfterSeconds when spent. */
  take(name: LimitName, key: string): Promise<void>;
};

export function createCallLimits(limits: LimitsConfig, redis: Redis | undefined, prefix: string): CallLimits {
  const rules: Record<string, LimitRule> = limitRulesOf(limits);
  const limiters = new Map<string, { rule: LimitRule; limiter: RateLimiterAbstract }>();
  for (const [name, rule] of Object.entries(rules)) {
    if (rule.points <= 0) continue; // 0 turns a limit off
    const opts = { keyPrefix: `${prefix}:${name}`, points: rule.points, duration: rule.seconds };
    const memory = new RateLimiterMemory(opts);
    const limiter = redis ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: memory }) : memory;
    limiters.set(name, { rule, limiter });
  }
  return {
    async take(name, key) {
      const entry = limiters.get(name);
      if (!entry) return;
      try {
        await entry.limiter.consume(key, 1);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', `${entry.rule.message}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
    },
  };
}

/** For callers without limits (scripts, router tests that are not about them). */
export const noCallLimits: CallLimits = { take: async () => {} };
