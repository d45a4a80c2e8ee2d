import { setTimeout as sleep } from 'node:timers/promises';
import { describeCause } from '../shared/log-safety.ts';
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
