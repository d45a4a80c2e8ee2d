import { boolean, char, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Something people buy tickets for: one date, one venue, one currency. */
export const events = pgTable('events', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  venue: text('venue'),
  startsAt: ts('starts_at').notNull(),
  /** IANA zone ("Europe/Berlin") every time of the event is shown in, to customers and organizers. */
  timeZone: text('time_zone').notNull().default('UTC'),
  currency: char('currency', { length: 3 }).notNull(),
  /** How long a pending order keeps its seats before they return to sale. */
  holdMinutes: integer('hold_minutes').notNull(),
  salesStartAt: ts('sales_start_at'),
  salesEndAt: ts('sales_end_at'),
  published: boolean('published').notNull().default(true),
  /** When the organizer called the event off (its paid orders are refunded); null: it is on. */
  cancelledAt: ts('cancelled_at'),
  /** The most tickets one order may hold (so one buyer can't take a block of seats). */
  maxTicketsPerOrder: integer('max_tickets_per_order').notNull().default(10),
  /** ISO 3166 alpha-2 codes of the phone numbers that get tickets by SMS; empty = no SMS. */
  smsCountries: text('sms_countries').array().notNull().default([]),
  /** Made by `npm run loadtest -- --target`: never listed, messaged or counted in figures (set once, at creation). */
  loadTest: boolean('load_test').notNull().default(false),
  /** SHA-256 of the load-test key that exempts this event's calls from per-address limits; null once removed. */
  loadTestKeyHash: text('load_test_key_hash'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A kind of admission (pretix "Item") with a price and a capacity pool (null = unlimited). */
export const ticketTypes = pgTable('ticket_types', {
  id: uuid('id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  name: text('name').notNull(),
  priceCents: integer('price_cents').notNull(),
  capacity: integer('capacity'),
  /** Units sold plus units held by pending orders (including holds past expiry not yet released). */
  taken: integer('taken').notNull().default(0),
  /** Seats held back for voucher holders (capacity_reserves) and not yet taken: the public cannot buy them. */
  reserved: integer('reserved').notNull().default(0),
  /** Not shown or sold to the public (existing tickets stay valid); a voucher unlocks it (speaker tickets). */
  hidden: boolean('hidden').notNull().default(false),
  /** Display order within the event (then creation order). */
  position: integer('position').notNull().default(0),
  /** This type's own sales window inside the event's; null: the event's. */
  salesStartAt: ts('sales_start_at'),
  salesEndAt: ts('sales_end_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** An extra bought with a ticket (a meal, a drink), up to maxPerTicket per ticket, optional capacity. */
export const addOns = pgTable('add_ons', {
  id: uuid('id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  name: text('name').notNull(),
  priceCents: integer('price_cents').notNull(),
  capacity: integer('capacity'),
  taken: integer('taken').notNull().default(0),
  /** Always 0: add-ons have no reserves (the column keeps one capacity statement for both kinds). */
  reserved: integer('reserved').notNull().default(0),
  maxPerTicket: integer('max_per_ticket').notNull().default(1),
  hidden: boolean('hidden').notNull().default(false),
  position: integer('position').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A pending order's claim on capacity of one item until expiresAt; `sold` once paid. */
export const holds = pgTable('holds', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull(),
  itemKind: text('item_kind', { enum: ['ticket_type', 'add_on'] }).notNull(),
  itemId: uuid('item_id').notNull(),
  quantity: integer('quantity').notNull(),
  expiresAt: ts('expires_at').notNull(),
  status: text('status', { enum: ['held', 'sold', 'expired', 'released'] }).notNull(),
  /** The reserve (capacity_reserves) this hold drew `fromReserve` of its units from; null: public sale. */
  poolId: uuid('pool_id'),
  fromReserve: integer('from_reserve').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Seats of one ticket type held back for one voucher's holders (pool id = the voucher's id). */
export const capacityReserves = pgTable('capacity_reserves', {
  id: uuid('id').primaryKey(),
  ticketTypeId: uuid('ticket_type_id').notNull(),
  quantity: integer('quantity').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
