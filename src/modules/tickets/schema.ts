import { sql } from 'drizzle-orm';
import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Per event: the Ed25519 key pair that signs its QR secrets, and how many tickets it has issued. */
export const ticketSeries = pgTable('ticket_series', {
  eventId: uuid('event_id').primaryKey(),
  publicKey: text('public_key').notNull(),
  privateKey: text('private_key').notNull(),
  issuedCount: integer('issued_count').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** One admitted person (pretix "OrderPosition"): a 6-digit code and a signed QR secret. */
export const tickets = pgTable('tickets', {
  id: uuid('id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  orderId: uuid('order_id').notNull(),
  ticketTypeId: uuid('ticket_type_id').notNull(),
  ticketTypeName: text('ticket_type_name').notNull(),
  attendeeName: text('attendee_name').notNull(),
  code: text('code').notNull(),
  secret: text('secret').notNull().unique(),
  status: text('status', { enum: ['valid', 'void'] }).notNull(),
  issuedAt: ts('issued_at').notNull().defaultNow(),
  voidedAt: ts('voided_at'),
  /** The transaction that last wrote the row (set by the database): the offline gate's change cursor. */
  changeXid: bigint('change_xid', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text::bigint)`),
});

/** The add-ons a ticket entitles its holder to. */
export const ticketAddOns = pgTable(
  'ticket_add_ons',
  {
    ticketId: uuid('ticket_id').notNull(),
    addOnId: uuid('add_on_id').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.addOnId] })],
);
