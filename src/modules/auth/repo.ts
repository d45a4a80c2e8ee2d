import { and, asc, eq, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { loginFailures, sessions, users } from './schema.ts';
import type { Role } from './dto.ts';

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

/** Inserts unless the email is taken; returns undefined when it is. */
export async function insertUser(db: Executor, user: { id: string; email: string; passwordHash: string; role: Role }) {
  const [row] = await db.insert(users).values(user).onConflictDoNothing({ target: users.email }).returning({ id: users.id });
  return row;
}

export async function countAdmins(db: Executor): Promise<number> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  return rows.length;
}

export async function insertSession(db: Executor, s: { id: string; userId: string; tokenHash: string; expiresAt: Date; lastSeenAt: Date }) {
  await db.insert(sessions).values(s);
}

export async function deleteSession(db: Executor, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Sessions past their lifetime, or not used since `idleSince`. */
export async function deleteExpiredSessions(db: Executor, now: Date, idleSince: Date) {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleSince)));
}

/** The user of a live session: within its lifetime, used after `idleSince`, its user not disabled. */
export async function findSessionUser(db: Executor, tokenHash: string, now: Date, idleSince: Date) {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleSince), isNull(users.disabledAt)))
    .limit(1);
  return row;
}

/** Moves last_seen_at to `now` unless another request already did after `staleBefore`. */
export async function touchSession(db: Executor, tokenHash: string, now: Date, staleBefore: Date) {
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.tokenHash, tokenHash), lt(sessions.lastSeenAt, staleBefore)));
}

export type LockoutPolicy = { afterFailures: number; baseSeconds: number; capSeconds: number };

/**
 * Counts one more sign-in attempt against `emailHash` — one upsert, so concurrent attempts each count
 * and none slips past a lock another has just set — unless the email is locked at `now`: then nothing
 * changes and false is returned. From the `afterFailures`-th attempt on, the email is locked for
 * baseSeconds, doubling per further attempt, capped at capSeconds. The caller resets on success.
 */
export async function claimLoginAttempt(db: Executor, emailHash: string, now: Date, p: LockoutPolicy): Promise<boolean> {
  const failures = sql`${loginFailures}.${sql.identifier('failures')} + 1`;
  const lockSeconds = sql`least(${p.capSeconds}::float8, ${p.baseSeconds}::float8 * power(2, least(${failures} - ${p.afterFailures}, 30)))`;
  const rows = await db
    .insert(loginFailures)
    .values({
      emailHash,
      failures: 1,
      lockedUntil: p.afterFailures <= 1 ? new Date(now.getTime() + p.baseSeconds * 1000) : null,
      lastFailedAt: now,
    })
    .onConflictDoUpdate({
      target: loginFailures.emailHash,
      set: {
        failures,
        lastFailedAt: now,
        lockedUntil: sql`case when ${failures} >= ${p.afterFailures} then ${now.toISOString()}::timestamptz + ${lockSeconds} * interval '1 second' end`,
      },
      setWhere: or(isNull(loginFailures.lockedUntil), lte(loginFailures.lockedUntil, now)),
    })
    .returning({ failures: loginFailures.failures });
  return rows.length === 1;
}

export async function lockedUntil(db: Executor, emailHash: string): Promise<Date | null> {
  const [row] = await db.select({ lockedUntil: loginFailures.lockedUntil }).from(loginFailures).where(eq(loginFailures.emailHash, emailHash));
  return row?.lockedUntil ?? null;
}

export async function clearLoginFailures(db: Executor, emailHash: string) {
  await db.delete(loginFailures).where(eq(loginFailures.emailHash, emailHash));
}

/** Forgets runs of failures that ended before `before` (unknown emails would otherwise pile up). */
export async function deleteOldLoginFailures(db: Executor, before: Date) {
  await db.delete(loginFailures).where(lt(loginFailures.lastFailedAt, before));
}

/** Every account, oldest first, without the password hash. */
export function listUsers(db: Executor) {
  return db
    .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt, disabledAt: users.disabledAt })
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.email));
}

export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/**
 * Locks the rows of every admin who can still sign in and returns their ids. Account changes that could
 * leave nobody in charge take this first, so two admins disabling each other at once cannot both succeed.
 */
export async function lockActiveAdmins(tx: Executor): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for('update');
  return rows.map((r) => r.id);
}

/** Sets or clears disabled_at; false when there is no such user. */
export async function setDisabledAt(db: Executor, id: string, disabledAt: Date | null): Promise<boolean> {
  const rows = await db.update(users).set({ disabledAt }).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length === 1;
}

export async function setPasswordHash(db: Executor, id: string, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}

/** Signs the user out everywhere, except (optionally) the session whose token hash is `keepTokenHash`. */
export async function deleteSessionsOfUser(db: Executor, userId: string, keepTokenHash?: string) {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keepTokenHash ? ne(sessions.tokenHash, keepTokenHash) : undefined));
}
