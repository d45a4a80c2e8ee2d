import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { CallLimits } from '../shared/call-limits.ts';
import type { Clock } from '../shared/clock.ts';
import type { LiveFeed } from '../shared/live-feed.ts';
import type { AuditRecord } from '../modules/audit/index.ts';
import type { SessionUser } from '../modules/auth/index.ts';
import type { PaymentProviders } from '../modules/payments/index.ts';

/*
 * What every procedure receives. The lookups (user, device) are functions the server fills in
 * (src/server/context.ts): this layer sits below the modules and calls none of them.
 */

/** Long-lived things a request may use; built once per process in main.ts (or per test). */
export type AppDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  payments: PaymentProviders;
  /** Changes per event from every process (LISTEN/NOTIFY); absent in tests that don't watch. */
  live?: LiveFeed;
};

export type CookieJar = {
  set(name: string, value: string, opts: { maxAgeSeconds: number }): void;
  clear(name: string): void;
};

export type Context = {
  deps: AppDeps;
  ip: string;
  /** How the call arrived: an HTTP method, or 'direct' for createCaller (tests, scripts). */
  transport: 'GET' | 'POST' | 'direct';
  /** Per-call limits (shared/call-limits.ts); every call of a batch counts. */
  limits: CallLimits;
  cookies: CookieJar;
  /** The signed-in user, looked up only when a procedure asks (public procedures pay nothing). */
  getUser(): Promise<SessionUser | null>;
  sessionToken?: string;
  /** A scanner device's token from `Authorization: Bearer …`, if the request carries one. */
  deviceToken?: string;
  /** That device, looked up on every request (a revoked device is refused at once), or null. */
  getDevice(): Promise<ScannerDevice | null>;
  /** Writes one audit-log row (the trpc layer calls it once per successful organizer mutation). */
  audit(entry: AuditRecord): Promise<void>;
  /** The load-test event whose key the request carries (shared/load-test-key.ts), looked up when asked, or null. */
  loadTestEventId(): Promise<string | null>;
};

export type ScannerDevice = { id: string; eventId: string; name: string };
