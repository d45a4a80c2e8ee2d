import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { TRPCError } from '@trpc/server';
import type { Config } from '../../config.ts';
import { AppError } from '../../shared/errors.ts';
import type { TrpcGuard } from '../trpc-http.ts';

type Limited = { perMinute: number; message: string };

/**
 * Per-IP limits on the procedures worth abusing: password guessing and order spam (holds block real
 * buyers for HOLD_MINUTES). 0 turns a limit off. Counters live in Redis when REDIS_URL is set, so every
 * process and box shares them; otherwise in process memory.
 */
function limitsOf(config: Config): Record<string, Limited> {
  return {
    'auth.login': { perMinute: config.rateLimitLoginPerMinute, message: 'Too many sign-in attempts from your network' },
    'orders.create': { perMinute: config.rateLimitOrdersPerMinute, message: 'Too many orders from your network' },
  };
}

type Check = (req: FastifyRequest) => Promise<{ isExceeded: boolean; ttlInSeconds: number }>;

export async function rateLimitGuard(app: FastifyInstance, config: Config, redis: Redis | undefined): Promise<TrpcGuard> {
  await app.register(fastifyRateLimit, { global: false, redis, nameSpace: 'gatekeeper:rl:', skipOnError: true });
  const checks = new Map<string, { limit: Limited; check: Check }>();
  for (const [path, limit] of Object.entries(limitsOf(config))) {
    if (limit.perMinute <= 0) continue;
    const check = app.createRateLimit({
      max: limit.perMinute,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => `${path}:${req.ip}`,
    }) as unknown as Check;
    checks.set(path, { limit, check });
  }

  return async (req, paths) => {
    for (const path of new Set(paths)) {
      const entry = checks.get(path);
      if (!entry) continue;
      const { isExceeded, ttlInSeconds } = await entry.check(req);
      if (!isExceeded) continue;
      const message = `${entry.limit.message}; try again in ${ttlInSeconds} s`;
      return new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message,
        cause: new AppError('RATE_LIMITED', message, { retryAfterSeconds: ttlInSeconds }),
      });
    }
    return undefined;
  };
}
