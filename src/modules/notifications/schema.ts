import { integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export type OutboxStatus = 'pending' | 'queued' | 'sent' | 'skipped' | 'failed';

/** A message that must leave the process, written in the transaction that caused it (never lost). */
export const outboxMessages = pgTable('outbox_messages', {
  id: uuid('id').primaryKey(),
  type: text('type').notNull(),
  /** Ids only: a message is rendered from the database when it is sent. */
  payload: jsonb('payload').$type<Record<string, string>>().notNull(),
  status: text('status', { enum: ['pending', 'queued', 'sent', 'skipped', 'failed'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  /** When the relay / dispatcher should look at it (next): after a backoff, or when a queued row may be lost. */
  availableAt: ts('available_at').notNull().defaultNow(),
  createdAt: ts('created_at').notNull().defaultNow(),
  processedAt: ts('processed_at'),
  lastError: text('last_error'),
});

/** Delivery: one outbox message on one channel (email, sms), with the provider's message id once accepted. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey(),
    outboxId: uuid('outbox_id').notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] }).notNull(),
    transport: text('transport'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [unique().on(t.outboxId, t.channel)],
);
