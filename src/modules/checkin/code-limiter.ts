import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import type { ScanResult, ScanActor } from './dto.ts';
import * as repo from './repo.ts';

/** What the limiter needs; the service's CheckinDeps is built on it (so the two files import one way). */
export type CodeLimiterDeps = {
  db: Db;
  config: Pick<Config, 'checkinCodeMaxMisses' | 'checkinCodeMaxMissesPerIp' | 'checkinCodeCooldownSeconds'>;
};

/**
 * Misses are counted per minute; exceeding the limit starts a cooling-off (config). The per-IP limit is
 * separate because a venue's scanners often share one public address.
 */
export const CODE_GUESS_WINDOW_MS = 60_000;

const keysOf = (actor: ScanActor) => [
  actor.kind === 'device' ? `device:${actor.deviceId}` : `user:${actor.userId}`,
  `ip:${actor.ip}`,
];

/**
 * Guards the 6-digit code path so the code space cannot be walked. Every guess is counted BEFORE the
 * lookup (an atomic upsert in PostgreSQL, shared by all processes, so a burst of parallel guesses cannot
 * slip past a check-then-count gap) and given back when it found a ticket: only misses add up.
 */
export async function guardCodeGuess(
  deps: CodeLimiterDeps,
  actor: ScanActor,
  now: Date,
  lookup: () => Promise<ScanResult>,
): Promise<ScanResult> {
  const keys = keysOf(actor);
  const blockedUntil = await repo.countGuess(deps.db, keys, {
    now,
    windowMs: CODE_GUESS_WINDOW_MS,
    maxMisses: deps.config.checkinCodeMaxMisses,
    maxMissesPerIp: deps.config.checkinCodeMaxMissesPerIp,
    cooldownMs: deps.config.checkinCodeCooldownSeconds * 1000,
  });
  if (blockedUntil) {
    throw new AppError('RATE_LIMITED', 'Too many unknown codes: wait before trying again', {
      retryAfterSeconds: Math.ceil((blockedUntil.getTime() - now.getTime()) / 1000),
    });
  }
  const result = await lookup();
  if (result.result !== 'invalid') await repo.refundGuess(deps.db, keys, now);
  return result;
}
