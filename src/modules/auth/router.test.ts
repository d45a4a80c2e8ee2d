import { useTestDatabase } from '../../testing/suite.ts';
import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { callerFor, sessionCaller, signIn, userCaller } from '../../testing/app.ts';

/* Account management through the real router: who may call what, what leaves the server, and sessions. */
const suite = useTestDatabase();

/** The tRPC code and, for domain errors, the app code a call failed with. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => {
      if (!(e instanceof TRPCError)) return String(e);
      const cause = e.cause as { code?: string } | undefined;
      return cause && typeof cause.code === 'string' ? `${e.code} ${cause.code}` : e.code;
    },
  );

const someId = '00000000-0000-4000-8000-000000000000';

describe('admin user procedures', () => {
  it('refuse anonymous callers (UNAUTHORIZED) and staff (FORBIDDEN)', async () => {
    const anonymous = callerFor(suite.deps).admin;
    const { caller: staff } = await userCaller(suite.deps, 'staff');
    for (const admin of [anonymous, staff.admin]) {
      const expected = admin === anonymous ? 'UNAUTHORIZED' : 'FORBIDDEN';
      expect(await failure(admin.listUsers())).toBe(expected);
      expect(await failure(admin.createUser({ email: 'x@example.com', password: 'long enough pw', role: 'admin' }))).toBe(expected);
      expect(await failure(admin.disableUser({ userId: someId }))).toBe(expected);
      expect(await failure(admin.enableUser({ userId: someId }))).toBe(expected);
    }
    expect(await failure(callerFor(suite.deps).auth.changePassword({ currentPassword: 'a', newPassword: 'b'.repeat(10) }))).toBe('UNAUTHORIZED');
  });

  it('lists users with email, role, createdAt and disabled, and never a password hash', async () => {
    const { caller } = await userCaller(suite.deps, 'admin');
    const { userId } = await caller.admin.createUser({ email: 'Gate.Keeper@Example.com', password: 'ten chars!!', role: 'staff' });
    const users = await caller.admin.listUsers();
    const listed = users.find((u) => u.id === userId);
    expect(listed).toEqual({ id: userId, email: 'gate.keeper@example.com', role: 'staff', createdAt: expect.any(String), disabled: false });
    expect(Object.keys(users[0]!).sort()).toEqual(['createdAt', 'disabled', 'email', 'id', 'role']);
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password/i);
  });

  it('createUser: EMAIL_TAKEN for a second account with the same email, VALIDATION for a short password', async () => {
    const { caller } = await userCaller(suite.deps, 'admin');
    await caller.admin.createUser({ email: 'twice@example.com', password: 'ten chars!!', role: 'staff' });
    expect(await failure(caller.admin.createUser({ email: 'TWICE@example.com', password: 'ten chars!!', role: 'admin' }))).toBe(
      'CONFLICT EMAIL_TAKEN',
    );
    expect(await failure(caller.admin.createUser({ email: 'short@example.com', password: 'nine char', role: 'staff' }))).toBe('BAD_REQUEST');
    expect(await failure(caller.admin.createUser({ email: 'x@example.com', password: 'ten chars!!', role: 'owner' as 'admin' }))).toBe(
      'BAD_REQUEST',
    );
  });

  it('disabling a staff member ends their session at once; enabling does not revive it', async () => {
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    const staff = await userCaller(suite.deps, 'staff');
    const token = await signIn(suite.deps, staff.email, staff.password);
    expect((await sessionCaller(suite.deps, token).auth.me()).user).toMatchObject({ id: staff.user.id, role: 'staff' });

    await admin.admin.disableUser({ userId: staff.user.id });
    expect((await sessionCaller(suite.deps, token).auth.me()).user).toBeNull();
    expect(await failure(sessionCaller(suite.deps, token).auth.changePassword({ currentPassword: staff.password, newPassword: 'x'.repeat(12) }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await failure(signIn(suite.deps, staff.email, staff.password))).toBe('UNAUTHORIZED INVALID_CREDENTIALS');
    expect((await admin.admin.listUsers()).find((u) => u.id === staff.user.id)?.disabled).toBe(true);

    await admin.admin.enableUser({ userId: staff.user.id });
    expect((await sessionCaller(suite.deps, token).auth.me()).user).toBeNull();
    const fresh = await signIn(suite.deps, staff.email, staff.password);
    expect((await sessionCaller(suite.deps, fresh).auth.me()).user?.id).toBe(staff.user.id);
  });

  it('disabling an admin locks them out of admin procedures; an admin cannot disable themselves', async () => {
    const { caller: admin, user } = await userCaller(suite.deps, 'admin');
    const other = await userCaller(suite.deps, 'admin');
    const token = await signIn(suite.deps, other.email, other.password);
    expect(await sessionCaller(suite.deps, token).admin.listUsers()).not.toHaveLength(0);
    await admin.admin.disableUser({ userId: other.user.id });
    expect(await failure(sessionCaller(suite.deps, token).admin.listUsers())).toBe('UNAUTHORIZED');

    expect(await failure(admin.admin.disableUser({ userId: user.id }))).toBe('CONFLICT CANNOT_DISABLE_SELF');
    expect((await admin.admin.listUsers()).find((u) => u.id === user.id)?.disabled).toBe(false);
    expect(await failure(admin.admin.disableUser({ userId: someId }))).toBe('NOT_FOUND NOT_FOUND');
    expect(await failure(admin.admin.disableUser({ userId: 'not-a-uuid' }))).toBe('BAD_REQUEST');
  });

  it('two admins disabling each other at the same moment: exactly one wins, one admin stays active', async () => {
    const a = await userCaller(suite.deps, 'admin');
    const b = await userCaller(suite.deps, 'admin');
    const results = await Promise.all([
      failure(a.caller.admin.disableUser({ userId: b.user.id })),
      failure(b.caller.admin.disableUser({ userId: a.user.id })),
    ]);
    expect(results.sort()).toEqual(['UNAUTHORIZED UNAUTHENTICATED', 'resolved']);
    const users = await a.caller.admin.listUsers();
    const active = users.filter((u) => (u.id === a.user.id || u.id === b.user.id) && !u.disabled);
    expect(active).toHaveLength(1);
  });
});

describe('auth.changePassword', () => {
  it('checks the current password, then keeps this session and ends the others', async () => {
    const staff = await userCaller(suite.deps, 'staff');
    const here = await signIn(suite.deps, staff.email, staff.password);
    const elsewhere = await signIn(suite.deps, staff.email, staff.password);
    const me = sessionCaller(suite.deps, here);

    expect(await failure(me.auth.changePassword({ currentPassword: 'not my password', newPassword: 'brand new secret' }))).toBe(
      'BAD_REQUEST VALIDATION',
    );
    expect(await failure(me.auth.changePassword({ currentPassword: staff.password, newPassword: 'short' }))).toBe('BAD_REQUEST');
    expect((await sessionCaller(suite.deps, elsewhere).auth.me()).user).not.toBeNull();

    expect(await me.auth.changePassword({ currentPassword: staff.password, newPassword: 'brand new secret' })).toEqual({ ok: true });
    expect((await me.auth.me()).user?.id).toBe(staff.user.id);
    expect((await sessionCaller(suite.deps, elsewhere).auth.me()).user).toBeNull();
    expect(await failure(signIn(suite.deps, staff.email, staff.password))).toBe('UNAUTHORIZED INVALID_CREDENTIALS');
    expect(await signIn(suite.deps, staff.email, 'brand new secret')).toEqual(expect.any(String));
  });
});
