import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Config } from '../config.ts';
import { noCallLimits, type CallLimits } from '../shared/call-limits.ts';
import type { SessionUser } from '../modules/auth/index.ts';
import { SESSION_COOKIE, sessionUser } from '../modules/auth/index.ts';
import { loadTestEventForKey } from '../modules/catalog/index.ts';
import { deviceForToken } from '../modules/checkin/index.ts';
import { recordAudit } from '../modules/audit/index.ts';
import { LOAD_TEST_KEY_HEADER } from '../shared/load-test-key.ts';
import type { AppDeps, Context, CookieJar, ScannerDevice } from '../trpc/context.ts';

export type { AppDeps, Context, CookieJar, ScannerDevice } from '../trpc/context.ts';

type InnerOptions = {
  deps: AppDeps;
  user?: SessionUser | null;
  sessionToken?: string;
  deviceToken?: string;
  loadTestKey?: string;
  ip?: string;
  transport?: Context['transport'];
  limits?: CallLimits;
  cookies?: CookieJar;
};

const noCookies: CookieJar = { set() {}, clear() {} };

/** The context without HTTP: router tests call procedures through createCaller(createContextInner(...)). */
export function createContextInner(opts: InnerOptions): Context {
  const { deps, sessionToken, deviceToken, loadTestKey } = opts;
  let loadTestEvent: Promise<string | null> | undefined;
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
    loadTestEventId: () => (loadTestEvent ??= loadTestKey ? loadTestEventForKey(deps.db, loadTestKey) : Promise.resolve(null)),
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
  return ({ req, res }: Pick<CreateFastifyContextOptions, 'req' | 'res'>): Context =>
    createContextInner({
      deps,
      ip: req.ip,
      transport: req.method === 'GET' ? 'GET' : 'POST',
      limits,
      sessionToken: req.cookies[SESSION_COOKIE],
      deviceToken: /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1],
      loadTestKey: headerValue(req.headers[LOAD_TEST_KEY_HEADER]),
      cookies: cookieJar(req, res, deps.config),
    });
}

const headerValue = (h: string | string[] | undefined) => (typeof h === 'string' && h !== '' ? h : undefined);
