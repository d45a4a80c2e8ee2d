import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, testApp, userCaller } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { injectTrpc } from '../../testing/http.ts';
import { hashPassword } from './password.ts';
import { ensureFirstAdmin } from './service.ts';

/* New passwords that are common or trivially guessable are refused wherever a password is set. */

let database: TestDatabase;
let local: Awaited<ReturnType<typeof testApp>>;
let admin: Awaited<ReturnType<typeof userCaller>>;
let cookie: string;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 4 });
  local = await testApp(database.db);
  admin = await userCaller(local.deps, 'admin');
  cookie = await loginCookie(local.app, admin.email, admin.password);
});
afterAll(async () => {
  await local?.app.close();
  await database?.drop();
});

const WEAK = ['aaaaaaaaaa', ' '.repeat(10), 'password12', '1234567890', 'qwertyuiop'];

describe('weak passwords', () => {
  it.each(WEAK)('%j is refused for a new account with a field error on password', async (password) => {
    const res = await injectTrpc(local.app, 'mutation', 'admin.createUser', { email: `weak${Date.now()}@example.com`, password, role: 'staff' }, { cookie });
    expect(res.status).toBe(400);
    expect(res.body!.error!.data).toMatchObject({ appCode: 'VALIDATION', fieldErrors: { password: [expect.stringMatching(/too common|only spaces/)] } });
  });

  it.each(WEAK)('%j is refused as a new password with a field error on newPassword, and the old one stays', async (newPassword) => {
    const res = await injectTrpc(local.app, 'mutation', 'auth.changePassword', { currentPassword: admin.password, newPassword }, { cookie });
    expect(res.status).toBe(400);
    expect(res.body!.error!.data).toMatchObject({ appCode: 'VALIDATION', fieldErrors: { newPassword: [expect.any(String)] } });
    expect(await loginCookie(local.app, admin.email, admin.password)).toMatch(/^sid=/);
  });

  it('a password made of the email is refused; a long phrase is accepted', async () => {
    const email = `lighthouse.keeper${Date.now()}@example.com`;
    const weak = await injectTrpc(local.app, 'mutation', 'admin.createUser', { email, password: email.split('@')[0], role: 'staff' }, { cookie });
    expect(weak.body!.error!.data.fieldErrors).toHaveProperty('password');
    const ok = await injectTrpc(local.app, 'mutation', 'admin.createUser', { email, password: 'mauve otter under the pier', role: 'staff' }, { cookie });
    expect(ok.status).toBe(200);
  });

  it('ensureFirstAdmin refuses a weak ADMIN_PASSWORD rather than create that admin', async () => {
    await expect(ensureFirstAdmin(local.deps.db, { email: 'first@example.com', password: 'password12', generate: false })).rejects.toThrow(/too common/);
  });

  it('an existing account whose password is weak still signs in', async () => {
    const email = `old${Date.now()}@example.com`;
    await database.db.execute(
      sql`insert into users (id, email, password_hash, role) values (gen_random_uuid(), ${email}, ${await hashPassword('password12')}, 'staff')`,
    );
    expect(await loginCookie(local.app, email, 'password12')).toMatch(/^sid=/);
  });
});
