import { char, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export type OrderStatus = 'pending' | 'paid' | 'expired' | 'cancelled';

/** A customer's purchase. Never deleted; reading it needs its token, of which only a hash is kept. */
export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  eventId: uuid('event_id').notNull(),
  status: text('status', { enum: ['pending', 'paid', 'expired', 'cancelled'] }).notNull(),
  customerName: text('customer_name').notNull(),
  customerEmail: text('customer_email').notNull(),
  customerPhone: text('customer_phone'),
  totalCents: integer('total_cents').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  tokenHash: text('token_hash').notNull(),
  /** A keyed hash of the address the order came from (never the address): pending holds are capped by it. */
  originHash: text('origin_hash'),
  /** Until when a pending order holds its capacity. */
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  paidAt: ts('paid_at'),
  closedAt: ts('closed_at'),
  /** Why the organizer must act on this order (e.g. a won dispute whose seats were sold); null: nothing to do. */
  attention: text('attention'),
});

export type LineAddOn = { addOnId: string; name: string; unitPriceCents: number; quantity: number };

/** n tickets of one type, each with the same add-ons, priced as sold. */
export const orderLines = pgTable('order_lines', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull(),
  position: integer('position').notNull(),
  ticketTypeId: uuid('ticket_type_id').notNull(),
  ticketTypeName: text('ticket_type_name').notNull(),
  unitPriceCents: integer('unit_price_cents').notNull(),
  quantity: integer('quantity').notNull(),
  addOns: jsonb('add_ons').$type<LineAddOn[]>().notNull(),
  /** Holder names of this line's tickets as given at checkout; a missing one is the buyer's name. */
  attendeeNames: jsonb('attendee_names').$type<string[]>().notNull().default([]),
});

/** Who moved an order from one status to another, when and why. */
export const orderStatusChanges = pgTable('order_status_changes', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  actor: text('actor').notNull(),
  reason: text('reason'),
  at: ts('at').notNull().defaultNow(),
});
