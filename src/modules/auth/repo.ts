import { and, asc, eq, gt, isNull, lt, ne } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { sessions, users } from './schema.ts';
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

export async function insertSession(db: Executor, s: { id: string; userId: string; tokenHash: string; expiresAt: Date }) {
  await db.insert(sessions).values(s);
}

export async function deleteSession(db: Executor, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteExpiredSessions(db: Executor, now: Date) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

export async function findSessionUser(db: Executor, tokenHash: string, now: Date) {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .limit(1);
  return row;
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
