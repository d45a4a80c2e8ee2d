import { testConfig, type Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SessionUser } from '../modules/auth/index.ts';
import type { FastifyInstance } from 'fastify';
import { createUser, SESSION_COOKIE } from '../modules/auth/index.ts';
import { createProviders } from '../modules/payments/index.ts';
import { buildApp } from '../server/app.ts';
import { createContextInner, type AppDeps } from '../server/context.ts';
import { appRouter } from '../server/router.ts';
import { createCallerFactory } from '../trpc/index.ts';
import { manualClock } from '../shared/clock.ts';

/** Process dependencies for a test: a movable clock, the test payment provider. */
export function testDeps(db: Db, overrides: { payments?: AppDeps['payments']; config?: Partial<Config> } = {}) {
  return {
    db,
    clock: manualClock(),
    config: testConfig(overrides.config),
    payments: overrides.payments ?? createProviders(),
  } satisfies AppDeps;
}

const createCaller = createCallerFactory(appRouter);

/** Calls procedures as an anonymous visitor, or as `user`. */
export const callerFor = (deps: AppDeps, user: SessionUser | null = null) => createCaller(createContextInner({ deps, user }));

let seq = 0;
/** A real user row (so session-backed paths work) and a caller acting as them. */
export async function userCaller(deps: AppDeps, role: 'admin' | 'staff' | 'viewer') {
  const email = `${role}${++seq}-${Date.now()}@example.com`;
  const { userId } = await createUser(deps.db, { email, password: 'correct horse battery', role });
  const user: SessionUser = { id: userId, email, role };
  return { user, caller: callerFor(deps, user), email, password: 'correct horse battery' };
}

/** Calls procedures as the browser holding session cookie `sessionToken` would: the user comes from the sessions table. */
export const sessionCaller = (deps: AppDeps, sessionToken: string) => createCaller(createContextInner({ deps, sessionToken }));

/** Signs in through the real auth.login procedure and returns the session token it set as the cookie. */
export async function signIn(deps: AppDeps, email: string, password: string): Promise<string> {
  let token: string | undefined;
  const cookies = { set: (_name: string, value: string) => void (token = value), clear() {} };
  await createCaller(createContextInner({ deps, cookies })).auth.login({ email, password });
  if (!token) throw new Error('auth.login set no session cookie');
  return token;
}

/** The HTTP app over `db` for app.inject tests (no SPA), with its deps so tests can move the clock. */
export async function testApp(db: Db, overrides: Parameters<typeof testDeps>[1] = {}) {
  const deps = testDeps(db, overrides);
  const app = await buildApp({ deps });
  return { app, deps };
}

/** Signs in through auth.login and returns the Cookie header value for later requests. */
export async function loginCookie(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/trpc/auth.login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
  });
  const sid = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (res.statusCode !== 200 || !sid) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return `${sid.name}=${sid.value}`;
}
