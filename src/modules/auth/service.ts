import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { hashToken, newId, newToken } from '../../shared/ids.ts';
import type { AdminUser, ChangePasswordInput, CreateUserInput, Role, SessionUser } from './dto.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import { passwordWeakness } from './password-policy.ts';
import * as repo from './repo.ts';

export const SESSION_COOKIE = 'sid';
/** The absolute lifetime of a session, however busy. */
export const SESSION_TTL_SECONDS = 14 * 24 * 3600;
/** last_seen_at is written at most this often: not one write per request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
/**
 * After LOGIN_LOCKOUT_FAILURES failed sign-ins in a row an email is locked for 30 s, doubling per
 * further failure, at most 15 minutes: enough to make guessing slow, short enough that someone who
 * knows an email can only delay its owner, not shut them out (README, Security).
 */
export const LOCKOUT = { baseSeconds: 30, capSeconds: 15 * 60 };
/** A run of failures is forgotten a day after its last one. */
const FAILURE_MEMORY_MS = 24 * 3600 * 1000;

/** The configuration sign-in needs (Config has these fields). */
export type AuthPolicy = { sessionIdleMinutes: number; loginLockoutFailures: number };

const idleSince = (now: Date, policy: Pick<AuthPolicy, 'sessionIdleMinutes'>) => new Date(now.getTime() - policy.sessionIdleMinutes * 60_000);

export async function login(db: Db, input: { email: string; password: string }, now: Date, policy: AuthPolicy) {
  // Keyed by the email as typed, whether or not an account has it: a lockout reveals nothing.
  const emailKey = hashToken(input.email.toLowerCase());
  if (policy.loginLockoutFailures > 0) await countAttempt(db, emailKey, now, policy.loginLockoutFailures);
  const user = await repo.findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) throw new AppError('INVALID_CREDENTIALS', 'Wrong email or password');
  await repo.clearLoginFailures(db, emailKey);
  const token = newToken();
  await repo.deleteExpiredSessions(db, now, idleSince(now, policy));
  await repo.deleteOldLoginFailures(db, new Date(now.getTime() - FAILURE_MEMORY_MS));
  await repo.insertSession(db, {
    id: newId(),
    userId: user.id,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
    lastSeenAt: now,
  });
  const sessionUser: SessionUser = { id: user.id, email: user.email, role: user.role };
  return { token, user: sessionUser, maxAgeSeconds: SESSION_TTL_SECONDS };
}

/**
 * Counts this attempt as a failure before the password is checked (a success clears the count), so a
 * burst of parallel guesses cannot all get past the lock; a locked email is refused unchecked.
 */
async function countAttempt(db: Db, emailKey: string, now: Date, afterFailures: number) {
  if (await repo.claimLoginAttempt(db, emailKey, now, { afterFailures, ...LOCKOUT })) return;
  const until = (await repo.lockedUntil(db, emailKey)) ?? now;
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  throw new AppError('RATE_LIMITED', `Too many failed sign-ins for this account; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await repo.deleteSession(db, hashToken(token));
}

/** The user of a live session (not expired, not idle), marking it used (at most once a minute). */
export async function sessionUser(db: Db, token: string, now: Date, policy: Pick<AuthPolicy, 'sessionIdleMinutes'>): Promise<SessionUser | null> {
  const tokenHash = hashToken(token);
  const row = await repo.findSessionUser(db, tokenHash, now, idleSince(now, policy));
  if (!row) return null;
  const staleBefore = new Date(now.getTime() - SESSION_TOUCH_INTERVAL_MS);
  if (row.lastSeenAt < staleBefore) await repo.touchSession(db, tokenHash, now, staleBefore);
  return { id: row.id, email: row.email, role: row.role };
}

/** Refuses a new password that is too easy to guess, as a field error on `field`. */
function assertStrongPassword(password: string, field: string, email: string) {
  const weakness = passwordWeakness(password, [email]);
  if (weakness) throw new AppError('VALIDATION', weakness, { field });
}

export async function createUser(db: Db, input: CreateUserInput): Promise<{ userId: string }> {
  assertStrongPassword(input.password, 'password', input.email);
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
  assertStrongPassword(input.newPassword, 'newPassword', row.email);
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
