import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../testing/db.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { hashToken } from '../../shared/ids.ts';
import { isAppError } from '../../shared/errors.ts';
import { createUser, login } from './service.ts';

const suite = useTestDatabase();
const policy = { sessionIdleMinutes: 120, loginLockoutFailures: 5 };
const PASSWORD = 'correct horse battery';

let seq = 0;
async function account() {
  const email = `lock${++seq}-${Date.now()}@example.com`;
  await createUser(suite.deps.db, { email, password: PASSWORD, role: 'staff' });
  return email;
}

/** What a sign-in attempt ends in: 'ok', 'INVALID_CREDENTIALS', or 'RATE_LIMITED 30' (with retryAfterSeconds). */
async function attempt(email: string, password: string, p = policy): Promise<string> {
  try {
    await login(suite.deps.db, { email, password }, suite.deps.clock(), p);
    return 'ok';
  } catch (err) {
    if (!isAppError(err)) throw err;
    return err.code === 'RATE_LIMITED' ? `${err.code} ${String(err.details?.retryAfterSeconds)}` : err.code;
  }
}
const wrong = (email: string, times: number) => Array.from({ length: times }).reduce<Promise<string[]>>(
  async (acc) => [...(await acc), await attempt(email, 'not the password')],
  Promise.resolve([]),
);
const failuresOf = async (email: string) =>
  (await queryRows<{ failures: number }>(suite.database.db, sql`select failures from login_failures where email_hash = ${hashToken(email)}`))[0]?.failures ?? 0;

describe('per-account lockout', () => {
  it('after 5 failures in a row the account is refused, the right password included, for 30 s; then it signs in and the count resets', async () => {
    const email = await account();
    expect(await wrong(email, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(await attempt(email, PASSWORD)).toBe('RATE_LIMITED 30');
    suite.deps.clock.advance(29_000);
    expect(await attempt(email, PASSWORD)).toBe('RATE_LIMITED 1');
    suite.deps.clock.advance(1000);
    expect(await attempt(email, PASSWORD)).toBe('ok');
    expect(await failuresOf(email)).toBe(0);
    expect(await wrong(email, 4)).toEqual(Array(4).fill('INVALID_CREDENTIALS'));
    expect(await attempt(email, PASSWORD)).toBe('ok');
  });

  it('each further failure doubles the wait, up to 15 minutes; refused attempts do not count', async () => {
    const email = await account();
    await wrong(email, 5);
    const waits: string[] = [];
    for (let i = 0; i < 7; i++) {
      const refused = await attempt(email, 'not the password');
      waits.push(refused);
      // Hammering a locked account changes nothing.
      expect(await attempt(email, 'not the password')).toBe(refused);
      suite.deps.clock.advance(Number(refused.split(' ')[1]) * 1000);
      expect(await attempt(email, 'not the password')).toBe('INVALID_CREDENTIALS');
    }
    expect(waits).toEqual(['RATE_LIMITED 30', 'RATE_LIMITED 60', 'RATE_LIMITED 120', 'RATE_LIMITED 240', 'RATE_LIMITED 480', 'RATE_LIMITED 900', 'RATE_LIMITED 900']);
    expect(await failuresOf(email)).toBe(12);
  });

  it('an unknown email gets exactly the same answers, so a lockout tells nobody which accounts exist', async () => {
    const known = await account();
    const unknown = `nobody${Date.now()}@example.com`;
    const run = async (email: string) => [...(await wrong(email, 6)), await attempt(email, PASSWORD)];
    const [a, b] = [await run(known), await run(unknown)];
    expect(a).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED 30', 'RATE_LIMITED 30']);
    expect(b).toEqual(a);
  });

  it('20 wrong sign-ins at once: exactly 5 are counted and get their password checked, 15 are refused unchecked', async () => {
    const email = await account();
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt(email, 'not the password')));
    const tally = results.reduce<Record<string, number>>((t, r) => ({ ...t, [r.split(' ')[0]!]: (t[r.split(' ')[0]!] ?? 0) + 1 }), {});
    expect(tally).toEqual({ INVALID_CREDENTIALS: 5, RATE_LIMITED: 15 });
    expect(await failuresOf(email)).toBe(5);
    expect(await attempt(email, PASSWORD)).toMatch(/^RATE_LIMITED /);
  });

  it('LOGIN_LOCKOUT_FAILURES=0 turns it off', async () => {
    const email = await account();
    const off = { ...policy, loginLockoutFailures: 0 };
    for (let i = 0; i < 7; i++) expect(await attempt(email, 'not the password', off)).toBe('INVALID_CREDENTIALS');
    expect(await attempt(email, PASSWORD, off)).toBe('ok');
  });
});
