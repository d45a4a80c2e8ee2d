import { setTimeout as sleep } from 'node:timers/promises';
import { safeErrorMessage } from '../shared/log-safety.ts';
import type { Database } from './client.ts';

/*
 * A process started before its database answers (a reboot, a compose file starting everything at once)
 * waits for it instead of crashing in a loop, saying in one line what it waits for and why — never the
 * password in DATABASE_URL, never a stack trace.
 */

/** "PostgreSQL at db.internal:5432 (database gatekeeper)": what an operator needs to find it; no credentials. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
    return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${name ? ` (database ${name})` : ''}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a URL)';
  }
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** Why a connection failed, in a few words: the network code, or the server's own message (no parameters). */
export function describeCause(err: unknown): string {
  const e = err as { code?: unknown; errors?: unknown[]; message?: unknown };
  // Node reports a host with several addresses as an AggregateError whose own message is empty.
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && NETWORK_CAUSES[code]) return `${NETWORK_CAUSES[code]} (${code})`;
  const message = safeErrorMessage(err).split('\n')[0]!.trim().replace(/\.+$/, '');
  return message || code || 'unknown error';
}

export class DatabaseUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailable';
  }
}

/**
 * Resolves once `select 1` succeeds; retries with backoff (0.25 s doubling to 5 s) for `waitSeconds`,
 * printing the clear line once per distinct cause, then rejects with DatabaseUnavailable carrying it.
 */
export async function waitForDatabase(
  database: Database,
  opts: { url: string; waitSeconds: number; say(line: string): void; isStopped?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + opts.waitSeconds * 1000;
  const target = describeDatabase(opts.url);
  let delay = 250;
  let lastCause: string | undefined;
  for (;;) {
    try {
      await database.withSession((exec) => exec('select 1'));
      if (lastCause) opts.say(`${target} answers now: starting.`);
      return;
    } catch (err) {
      const cause = describeCause(err);
      if (Date.now() >= deadline || opts.isStopped?.()) {
        throw new DatabaseUnavailable(`Cannot reach ${target}: ${cause}. Gave up after ${opts.waitSeconds} s (DATABASE_WAIT_SECONDS).`);
      }
      if (cause !== lastCause) opts.say(`Cannot reach ${target}: ${cause}. Retrying for up to ${opts.waitSeconds} s (DATABASE_WAIT_SECONDS).`);
      lastCause = cause;
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
