import { and, eq, gt, isNull, lt } from 'drizzle-orm';
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
