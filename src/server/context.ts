import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { noCallLimits, type CallLimits } from '../shared/call-limits.ts';
import type { Clock } from '../shared/clock.ts';
import type { LiveFeed } from '../shared/live-feed.ts';
import type { SessionUser } from '../modules/auth/index.ts';
import { SESSION_COOKIE, sessionUser } from '../modules/auth/index.ts';
import type { PaymentProviders } from '../modules/payments/index.ts';
import { deviceForToken } from '../modules/checkin/index.ts';
import { recordAudit, type AuditRecord } from '../modules/audit/index.ts';

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
};

export type ScannerDevice = { id: string; eventId: string; name: string };

type InnerOptions = {
  deps: AppDeps;
  user?: SessionUser | null;
  sessionToken?: string;
  deviceToken?: string;
  ip?: string;
  transport?: Context['transport'];
  limits?: CallLimits;
  cookies?: CookieJar;
};

const noCookies: CookieJar = { set() {}, clear() {} };

/** The context without HTTP: router tests call procedures through createCaller(createContextInner(...)). */
export function createContextInner(opts: InnerOptions): Context {
  const { deps, sessionToken, deviceToken } = opts;
  let device: Promise<ScannerDevice | null> | undefined;
  let user: Promise<SessionUser | null> | undefined = opts.user !== undefined ? Promise.resolve(opts.user) : undefined;
  return {
    deps,
    ip: opts.ip ?? '127.0.0.1',
    transport: opts.transport ?? 'direct',
    limits: opts.limits ?? noCallLimits,
    cookies: opts.cookies ?? noCookies,
    sessionToken,
    deviceToken,
    audit: (entry) => recordAudit(deps.db, entry, deps.clock()),
    getDevice: () => (device ??= deviceToken ? deviceForToken(deps.db, deviceToken) : Promise.resolve(null)),
    getUser: () => (user ??= sessionToken ? sessionUser(deps.db, sessionToken, deps.clock(), deps.config) : Promise.resolve(null)),
  };
}

function cookieJar(req: FastifyRequest, reply: FastifyReply, config: Config): CookieJar {
  // Secure everywhere but plain-http localhost, where browsers would drop a Secure cookie.
  const secure = !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(config.publicUrl) || req.protocol === 'https';
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
  return {
    set: (name, value, { maxAgeSeconds }) => void reply.setCookie(name, value, { ...base, maxAge: maxAgeSeconds }),
    clear: (name) => void reply.clearCookie(name, base),
  };
}

export function contextFactory(deps: AppDeps, limits: CallLimits) {
  return ({ req, res }: CreateFastifyContextOptions): Context =>
    createContextInner({
      deps,
      ip: req.ip,
      transport: req.method === 'GET' ? 'GET' : 'POST',
      limits,
      sessionToken: req.cookies[SESSION_COOKIE],
      deviceToken: /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1],
      cookies: cookieJar(req, res, deps.config),
    });
}
