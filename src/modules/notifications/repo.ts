import { count, eq } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { outboxMessages } from './schema.ts';

export const insertOutboxMessage = (tx: Executor, row: typeof outboxMessages.$inferInsert) =>
  tx.insert(outboxMessages).values(row);

/** Messages written but not yet handed to the queue: the outbox depth (for /metrics). */
export async function countPending(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outboxMessages).where(eq(outboxMessages.status, 'pending'));
  return row?.n ?? 0;
}
