import { bigserial, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export type EntryStatus = 'waiting' | 'offered' | 'claimed' | 'lapsed' | 'removed';

/**
 * A place on a sold-out ticket type's waiting list (`seq`: the order of joining). `offered`: seats are
 * held for it (a hold owned by this id) until offerExpiresAt; `claimed`: bought through the offer;
 * `lapsed`: the offer ran out and passed on.
 */
export const waitlistEntries = pgTable('waitlist_entries', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  eventId: uuid('event_id').notNull(),
  ticketTypeId: uuid('ticket_type_id').notNull(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  phone: text('phone'),
  quantity: integer('quantity').notNull(),
  status: text('status', { enum: ['waiting', 'offered', 'claimed', 'lapsed', 'removed'] }).notNull(),
  offerHours: integer('offer_hours').notNull(),
  offeredAt: ts('offered_at'),
  offerExpiresAt: ts('offer_expires_at'),
  orderId: uuid('order_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
