import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { hashToken, newId, newToken } from '../../shared/ids.ts';
import type { AdminUser, ChangePasswordInput, CreateUserInput, Role, SessionUser } from './dto.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repo.ts';

export const SESSION_COOKIE = 'sid';
export const SESSION_TTL_SECONDS = 14 * 24 * 3600;

export async function login(db: Db, input: { email: string; password: string }, now: Date) {
  const user = await repo.findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) throw new AppError('INVALID_CREDENTIALS', 'Wrong email or password');
  const token = newToken();
  await repo.deleteExpiredSessions(db, now);
  await repo.insertSession(db, {
    id: newId(),
    userId: user.id,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
  });
  const sessionUser: SessionUser = { id: user.id, email: user.email, role: user.role };
  return { token, user: sessionUser, maxAgeSeconds: SESSION_TTL_SECONDS };
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await repo.deleteSession(db, hashToken(token));
}

export async function sessionUser(db: Db, token: string, now: Date): Promise<SessionUser | null> {
  return (await repo.findSessionUser(db, hashToken(token), now)) ?? null;
}

export async function createUser(db: Db, input: CreateUserInput): Promise<{ userId: string }> {
  const row = await repo.insertUser(db, {
    id: newId(),
    email: input.email,
    passwordHash: await hashPassword(input.password),
    role: input.role,
  });
  if (!row) throw new AppError('EMAIL_TAKEN', 'A user with this email already exists', { field: 'email' });
  return { userId: row.id };
}

export async function listUsers(db: Db): Promise<AdminUser[]> {
  return (await repo.listUsers(db)).map((u) => ({
    id: u.id,
    email: u.email,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    disabled: u.disabledAt !== null,
  }));
}

/**
 * Disabling signs the user out everywhere in the same transaction, so a disabled staff member is out at
 * once, and enabling them later does not bring an old session back. Admins cannot lock themselves out, nor
 * can two admins disabling each other at the same moment leave no admin at all.
 */
export async function setUserDisabled(db: Db, actor: SessionUser, input: { userId: string; disabled: boolean }, now: Date) {
  if (input.disabled && input.userId === actor.id) {
    throw new AppError('CANNOT_DISABLE_SELF', 'You cannot disable your own account; ask another admin', { userId: input.userId });
  }
  await db.transaction(async (tx) => {
    // The acting admin must still be active once the lock is held: then at least one admin always remains.
    if (!(await repo.lockActiveAdmins(tx)).includes(actor.id)) {
      throw new AppError('UNAUTHENTICATED', 'Your account has been disabled');
    }
    const found = await repo.setDisabledAt(tx, input.userId, input.disabled ? now : null);
    if (!found) throw new AppError('NOT_FOUND', 'No such user', { userId: input.userId });
    if (input.disabled) await repo.deleteSessionsOfUser(tx, input.userId);
  });
  return { ok: true as const };
}

/** Checks the current password, stores the new one and ends every other session of the user (this one stays). */
export async function changePassword(db: Db, user: SessionUser, sessionToken: string | undefined, input: ChangePasswordInput) {
  const row = await repo.findUserById(db, user.id);
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw new AppError('VALIDATION', 'The current password is wrong', { field: 'currentPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await repo.setPasswordHash(tx, user.id, passwordHash);
    await repo.deleteSessionsOfUser(tx, user.id, sessionToken ? hashToken(sessionToken) : undefined);
  });
  return { ok: true as const };
}

export const GENERATED_ADMIN_EMAIL = 'admin@example.com';

/**
 * Makes sure someone can sign in on a new install. ADMIN_EMAIL/ADMIN_PASSWORD create that admin once;
 * with neither, the embedded default invents a password and returns it so main.ts prints it once.
 */
export async function ensureFirstAdmin(
  db: Db,
  opts: { email?: string; password?: string; generate: boolean },
): Promise<{ email: string; generatedPassword?: string; created: boolean } | null> {
  if (opts.email && opts.password) {
    const existing = await repo.findUserByEmail(db, opts.email.toLowerCase());
    if (existing) return { email: existing.email, created: false };
    await createUser(db, { email: opts.email.toLowerCase(), password: opts.password, role: 'admin' as Role });
    return { email: opts.email.toLowerCase(), created: true };
  }
  if ((await repo.countAdmins(db)) > 0 || !opts.generate) return null;
  const password = randomBytes(12).toString('base64url');
  await createUser(db, { email: GENERATED_ADMIN_EMAIL, password, role: 'admin' });
  return { email: GENERATED_ADMIN_EMAIL, generatedPassword: password, created: true };
}
