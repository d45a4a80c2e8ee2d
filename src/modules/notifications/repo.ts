import type { Executor } from '../../shared/tx.ts';
import { outboxMessages } from './schema.ts';

export const insertOutboxMessage = (tx: Executor, row: typeof outboxMessages.$inferInsert) =>
  tx.insert(outboxMessages).values(row);
