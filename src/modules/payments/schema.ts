import { char, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One attempt to collect an order's total through a provider (`test`, later `stripe`). */
export const payments = pgTable('payments', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull(),
  provider: text('provider').notNull(),
  status: text('status', { enum: ['created', 'pending', 'confirmed', 'failed', 'cancelled', 'refunded'] }).notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  /** The provider's id for it (e.g. a Checkout Session id). */
  providerRef: text('provider_ref'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
