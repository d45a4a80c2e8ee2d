import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../testing/db.ts';
import { hashToken } from '../../shared/ids.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { ensureFirstAdmin, GENERATED_ADMIN_EMAIL, login, sessionUser, SESSION_TOUCH_INTERVAL_MS, SESSION_TTL_SECONDS } from './service.ts';
import { useTestDatabase } from '../../testing/suite.ts';

const suite = useTestDatabase();

const admins = () => queryRows<{ email: string; password_hash: string }>(suite.database.db, sql`select email, password_hash from users where role = 'admin' order by created_at`);

describe('passwords', () => {
  it('are stored as scrypt$N$r$p$salt$hash with a fresh salt, and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('a hash in another format never verifies', async () => {
    expect(await verifyPassword('pw', 'plain:pw')).toBe(false);
    expect(await verifyPassword('pw', 'scrypt$32768$8$1$$')).toBe(false);
  });
});

describe('the first admin', () => {
  it('without ADMIN_* and outside the embedded default nobody is created', async () => {
    expect(await ensureFirstAdmin(suite.deps.db, { generate: false })).toBeNull();
    expect(await admins()).toEqual([]);
  });

  it('the embedded default generates a password once, and it signs in', async () => {
    const first = await ensureFirstAdmin(suite.deps.db, { generate: true });
    expect(first).toMatchObject({ email: GENERATED_ADMIN_EMAIL, created: true, generatedPassword: expect.stringMatching(/^\S{16,}$/) });
    expect(await ensureFirstAdmin(suite.deps.db, { generate: true })).toBeNull();
    const stored = await admins();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.password_hash).not.toContain(first!.generatedPassword!);
    const { user } = await login(suite.deps.db, { email: GENERATED_ADMIN_EMAIL, password: first!.generatedPassword! }, suite.deps.clock(), suite.deps.config);
    expect(user.role).toBe('admin');
  });

  it('ADMIN_EMAIL / ADMIN_PASSWORD create that admin once; later starts change nothing', async () => {
    const opts = { email: 'Boss@Example.com', password: 'a long admin password', generate: true };
    expect(await ensureFirstAdmin(suite.deps.db, opts)).toEqual({ email: 'boss@example.com', created: true });
    expect(await ensureFirstAdmin(suite.deps.db, { ...opts, password: 'another password' })).toEqual({ email: 'boss@example.com', created: false });
    expect((await admins()).map((a) => a.email)).toEqual([GENERATED_ADMIN_EMAIL, 'boss@example.com']);
    await expect(login(suite.deps.db, { email: 'boss@example.com', password: 'another password' }, suite.deps.clock(), suite.deps.config)).rejects.toThrow('Wrong email or password');
    await expect(login(suite.deps.db, { email: 'boss@example.com', password: 'a long admin password' }, suite.deps.clock(), suite.deps.config)).resolves.toBeTruthy();
  });
});

describe('sessions', () => {
  const policy = { sessionIdleMinutes: 120, loginLockoutFailures: 5 };
  const lastSeen = async (token: string) => {
    const rows = await queryRows<{ at: string }>(suite.database.db, sql`select last_seen_at::text as at from sessions where token_hash = ${hashToken(token)}`);
    return new Date(rows[0]!.at).getTime();
  };

  it('store only a hash of the token, and last SESSION_TTL_SECONDS at most, however busy', async () => {
    const start = suite.deps.clock();
    const { token } = await login(suite.deps.db, { email: 'boss@example.com', password: 'a long admin password' }, start, policy);
    const rows = await queryRows<{ token_hash: string }>(suite.database.db, sql`select token_hash from sessions`);
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    // Used every 100 minutes (within the idle limit) for its whole life: alive to the last second, then over.
    for (let s = 6000; s < SESSION_TTL_SECONDS; s += 6000) expect(await sessionUser(suite.deps.db, token, at(s), policy)).not.toBeNull();
    expect(await sessionUser(suite.deps.db, token, at(SESSION_TTL_SECONDS - 1), policy)).toMatchObject({ email: 'boss@example.com' });
    expect(await sessionUser(suite.deps.db, token, at(SESSION_TTL_SECONDS), policy)).toBeNull();
    expect(await sessionUser(suite.deps.db, 'not-a-token', start, policy)).toBeNull();
  });

  it('end after SESSION_IDLE_MINUTES without use; use keeps them alive', async () => {
    const start = suite.deps.clock();
    const { token } = await login(suite.deps.db, { email: 'boss@example.com', password: 'a long admin password' }, start, policy);
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    expect(await sessionUser(suite.deps.db, token, at(119), policy)).not.toBeNull();
    // Used at minute 119: idle from there, so alive at 119 + 119 and over at 119 + 120.
    expect(await sessionUser(suite.deps.db, token, at(238), policy)).not.toBeNull();
    expect(await sessionUser(suite.deps.db, token, at(238 + 120), policy)).toBeNull();
    // Over for good: a later request does not revive it, and the next sign-in clears it away.
    expect(await sessionUser(suite.deps.db, token, at(238 + 121), policy)).toBeNull();
    await login(suite.deps.db, { email: 'boss@example.com', password: 'a long admin password' }, at(238 + 122), policy);
    const left = await queryRows<{ n: number }>(suite.database.db, sql`select count(*)::int as n from sessions where token_hash = ${hashToken(token)}`);
    expect(left[0]!.n).toBe(0);
  });

  it('record use at most once a minute, not on every request', async () => {
    const start = suite.deps.clock();
    const { token } = await login(suite.deps.db, { email: 'boss@example.com', password: 'a long admin password' }, start, policy);
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect(await lastSeen(token)).toBe(start.getTime());
    for (const ms of [1000, 30_000, SESSION_TOUCH_INTERVAL_MS - 1]) await sessionUser(suite.deps.db, token, at(ms), policy);
    expect(await lastSeen(token)).toBe(start.getTime());
    await sessionUser(suite.deps.db, token, at(SESSION_TOUCH_INTERVAL_MS + 5000), policy);
    expect(await lastSeen(token)).toBe(start.getTime() + SESSION_TOUCH_INTERVAL_MS + 5000);
  });
});
