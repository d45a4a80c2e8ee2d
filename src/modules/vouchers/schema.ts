import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A voucher: a code that discounts tickets of one event (percent, amount off, or a set price), usable
 * `maxUses` tickets' worth, within a validity window; it may hold seats back (catalog capacity_reserves,
 * pool id = voucher id) and unlock hidden ticket types.
 */
export const vouchers = pgTable('vouchers', {
  id: uuid('id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  code: text('code').notNull(),
  discountKind: text('discount_kind', { enum: ['percent', 'amount', 'price'] }).notNull(),
  discountValue: integer('discount_value').notNull(),
  /** Empty: every ticket type of the event. */
  ticketTypeIds: uuid('ticket_type_ids').array().notNull().default([]),
  maxUses: integer('max_uses').notNull(),
  /** Tickets bought with it in orders that are pending or paid. */
  uses: integer('uses').notNull().default(0),
  validFrom: ts('valid_from'),
  validUntil: ts('valid_until'),
  reservedQuantity: integer('reserved_quantity').notNull().default(0),
  unlocksHidden: boolean('unlocks_hidden').notNull().default(false),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** One order's use of a voucher (`uses` tickets): `returned` once the order expired or was cancelled. */
export const voucherRedemptions = pgTable('voucher_redemptions', {
  orderId: uuid('order_id').primaryKey(),
  voucherId: uuid('voucher_id').notNull(),
  uses: integer('uses').notNull(),
  status: text('status', { enum: ['active', 'returned'] }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
