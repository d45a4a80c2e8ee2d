import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, testApp, userCaller } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { injectTrpc } from '../../testing/http.ts';
import { SESSION_TTL_SECONDS } from './service.ts';

let database: TestDatabase;
let local: Awaited<ReturnType<typeof testApp>>;
let admin: Awaited<ReturnType<typeof userCaller>>;

beforeAll(async () => {
  database = await createTestDatabase();
  local = await testApp(database.db, { config: { publicUrl: 'http://localhost:3000' } });
  admin = await userCaller(local.deps, 'admin');
});
afterAll(async () => {
  await local?.app.close();
  await database?.drop();
});

const login = (app: typeof local.app, email: string, password: string) => injectTrpc(app, 'mutation', 'auth.login', { email, password });
const me = async (cookie?: string) => {
  const res = await injectTrpc(local.app, 'query', 'auth.me', undefined, { cookie });
  expect(res.status).toBe(200);
  return (res.body!.result!.data as { user: { email: string; role: string } | null }).user;
};

describe('auth over HTTP', () => {
  it('login sets an httpOnly, SameSite=Lax session cookie (not Secure on plain-http localhost) and returns no secrets', async () => {
    const res = await login(local.app, admin.email.toUpperCase(), admin.password);
    expect(res.status).toBe(200);
    const sid = res.cookies.find((c) => c.name === 'sid')!;
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: SESSION_TTL_SECONDS });
    expect(sid.secure).toBeFalsy();
    expect(sid.value.length).toBeGreaterThanOrEqual(43);
    expect(res.body!.result!.data).toEqual({ user: { id: admin.user.id, email: admin.email, role: 'admin' } });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|hash|sid/i);
  });

  it('the cookie is Secure when PUBLIC_URL is https', async () => {
    const secure = await testApp(database.db, { config: { publicUrl: 'https://tickets.example.org' } });
    try {
      const res = await login(secure.app, admin.email, admin.password);
      expect(res.cookies.find((c) => c.name === 'sid')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await secure.app.close();
    }
  });

  it('auth.me knows the user by cookie; logout clears the cookie and ends the session server-side', async () => {
    expect(await me()).toBeNull();
    const cookie = await loginCookie(local.app, admin.email, admin.password);
    expect(await me(cookie)).toMatchObject({ email: admin.email, role: 'admin' });
    const out = await injectTrpc(local.app, 'mutation', 'auth.logout', undefined, { cookie });
    expect(out.status).toBe(200);
    const cleared = out.cookies.find((c) => c.name === 'sid')!;
    expect(cleared.value).toBe('');
    expect(new Date(cleared.expires as Date).getTime()).toBeLessThanOrEqual(Date.now());
    // The old cookie, replayed, no longer signs anyone in.
    expect(await me(cookie)).toBeNull();
  });

  it('a wrong password and an unknown email get the same 401 and message', async () => {
    const wrong = await login(local.app, admin.email, 'not the password');
    const unknown = await login(local.app, 'nobody@example.com', admin.password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body!.error!.message).toBe(unknown.body!.error!.message);
    expect(wrong.body!.error!.data.appCode).toBe('INVALID_CREDENTIALS');
    expect(wrong.cookies).toEqual([]);
  });

  it('a locked-out account and an unknown email get the same 429 with retryAfterSeconds, and no cookie', async () => {
    const { email } = await userCaller(local.deps, 'staff');
    const unknown = `nobody-${Date.now()}@example.com`;
    for (let i = 0; i < 5; i++) {
      expect((await login(local.app, email, 'not the password')).status).toBe(401);
      expect((await login(local.app, unknown, 'not the password')).status).toBe(401);
    }
    const [locked, lockedUnknown] = [await login(local.app, email, 'correct horse battery'), await login(local.app, unknown, 'correct horse battery')];
    for (const res of [locked, lockedUnknown]) {
      expect(res.status).toBe(429);
      expect(res.cookies).toEqual([]);
      expect(res.body!.error!.data).toMatchObject({ appCode: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } });
    }
    expect(locked.body!.error!.message).toBe('Too many failed sign-ins for this account; try again in 30 s');
    expect(lockedUnknown.body!.error!.message).toBe(locked.body!.error!.message);
  });

  it('bad login input is a 400 with field errors', async () => {
    const res = await login(local.app, 'not-an-email', '');
    expect(res.status).toBe(400);
    expect(Object.keys(res.body!.error!.data.fieldErrors!)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('a session ends after SESSION_IDLE_MINUTES without a request, and after its lifetime however busy', async () => {
    const idleMs = local.deps.config.sessionIdleMinutes * 60_000;
    const idle = await loginCookie(local.app, admin.email, admin.password);
    local.deps.clock.advance(idleMs - 1000);
    expect(await me(idle)).not.toBeNull();
    local.deps.clock.advance(idleMs - 1000);
    expect(await me(idle)).not.toBeNull();
    local.deps.clock.advance(idleMs);
    expect(await me(idle)).toBeNull();

    const busy = await loginCookie(local.app, admin.email, admin.password);
    const start = local.deps.clock().getTime();
    for (let t = idleMs / 2; t < SESSION_TTL_SECONDS * 1000; t += idleMs / 2) {
      local.deps.clock.set(new Date(start + t));
      expect(await me(busy)).not.toBeNull();
    }
    local.deps.clock.set(new Date(start + SESSION_TTL_SECONDS * 1000));
    expect(await me(busy)).toBeNull();
  });

  it('a forged or garbage cookie is just anonymous', async () => {
    expect(await me('sid=' + 'A'.repeat(43))).toBeNull();
    expect(await me('sid=%%%')).toBeNull();
    const res = await injectTrpc(local.app, 'query', 'admin.listEvents', undefined, { cookie: 'sid=forged' });
    expect(res.status).toBe(401);
  });
});
