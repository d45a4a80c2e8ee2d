import { char, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One attempt to collect an order's total through a provider (`test` or `stripe`). */
export const payments = pgTable('payments', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull(),
  provider: text('provider').notNull(),
  status: text('status', { enum: ['created', 'pending', 'confirmed', 'failed', 'cancelled', 'refunded', 'disputed'] }).notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  /** The provider's id for it (e.g. a Checkout Session id). */
  providerRef: text('provider_ref'),
  /** Which try at starting the provider's checkout this is; the provider's idempotency key includes it. */
  checkoutAttempt: integer('checkout_attempt').notNull().default(1),
  /** When the current attempt began (null: createdAt): fixes the attempt's request, so retries repeat it exactly. */
  checkoutStartedAt: ts('checkout_started_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A provider's webhook event (e.g. a Stripe event id) that was handled to the end: redeliveries stop here. */
export const paymentProviderEvents = pgTable(
  'payment_provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    outcome: text('outcome').notNull(),
    processedAt: ts('processed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

/** Money given back on a payment short of a full refund (by ticket or by amount); a full refund moves the payment instead. */
export const refunds = pgTable('refunds', {
  id: uuid('id').primaryKey(),
  paymentId: uuid('payment_id').notNull(),
  orderId: uuid('order_id').notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  ticketIds: uuid('ticket_ids').array().notNull().default([]),
  reason: text('reason'),
  actor: text('actor').notNull(),
  /** The key the provider saw: a repeated request records one refund. */
  idempotencyKey: text('idempotency_key').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
