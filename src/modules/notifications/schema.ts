import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A message that must leave the process, written in the transaction that caused it (never lost). */
export const outboxMessages = pgTable('outbox_messages', {
  id: uuid('id').primaryKey(),
  type: text('type').notNull(),
  /** Ids only: a message is rendered from the database when it is sent. */
  payload: jsonb('payload').$type<Record<string, string>>().notNull(),
  status: text('status', { enum: ['pending', 'queued', 'sent', 'failed'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  availableAt: ts('available_at').notNull().defaultNow(),
  createdAt: ts('created_at').notNull().defaultNow(),
  processedAt: ts('processed_at'),
  lastError: text('last_error'),
});
