import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describeCause } from './log-safety.ts';

/** "Redis at cache.internal:6379": no password (REDIS_URL may carry one). */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `Redis at ${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'Redis (REDIS_URL is not a URL)';
  }
}

/** One PING on a throwaway connection that does not retry: null when Redis answered, else why not. */
export async function probeRedis(url: string): Promise<string | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // connect() rejects with a bare "Connection is closed"; the socket's own error says why.
  let socketError: unknown;
  redis.on('error', (err) => (socketError ??= err));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return describeCause(socketError ?? err);
  } finally {
    redis.disconnect();
  }
}

/**
 * Redis missing at start is said in one clear line (with what happens `meanwhile`), then probed in the
 * background with backoff until it answers, which is said too. The caller's own connections reconnect by
 * themselves; this only makes the wait visible.
 */
export async function watchRedisAtStart(url: string, opts: { say(line: string): void; isStopped(): boolean; meanwhile: string }): Promise<void> {
  const target = describeRedis(url);
  let cause = await probeRedis(url);
  if (!cause) return;
  opts.say(`Cannot reach ${target}: ${cause}. ${opts.meanwhile}; retrying in the background.`);
  let delay = 1000;
  while (cause && !opts.isStopped()) {
    await sleep(delay, undefined, { ref: false });
    delay = Math.min(delay * 2, 30_000);
    cause = await probeRedis(url);
  }
  if (!cause) opts.say(`${target} answers now.`);
}
