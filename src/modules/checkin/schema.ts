import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Mirrors src/db/migrations/0300_checkin.sql (the migration is the source of truth).
const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Device: a scanner's revocable token (stored hashed), bound to one event. */
export const devices = pgTable('devices', {
  id: uuid('id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
});

export const checkinResults = ['ok', 'already_checked_in', 'invalid', 'wrong_event', 'not_paid', 'cancelled'] as const;

/** Checkin: one scan attempt, whatever its result; scannedAt from the device, recordedAt from the server. */
export const checkins = pgTable(
  'checkins',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id').notNull(),
    ticketId: uuid('ticket_id'),
    deviceId: uuid('device_id'),
    userId: uuid('user_id'),
    method: text('method', { enum: ['qr', 'code'] }).notNull(),
    result: text('result', { enum: checkinResults }).notNull(),
    reason: text('reason'),
    nonce: text('nonce'),
    scannedAt: ts('scanned_at'),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [index('checkins_event_idx').on(t.eventId, t.recordedAt)],
);

/** The current check-in of a ticket: one row at most, so exactly one scan can win. */
export const ticketCheckins = pgTable('ticket_checkins', {
  ticketId: uuid('ticket_id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  ticketTypeId: uuid('ticket_type_id').notNull(),
  checkinId: uuid('checkin_id').notNull(),
  checkedInAt: ts('checked_in_at').notNull(),
  deviceId: uuid('device_id'),
  userId: uuid('user_id'),
});

/** A check-in taken back: which, by whom, when. */
export const checkinUndos = pgTable('checkin_undos', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull(),
  eventId: uuid('event_id').notNull(),
  checkinId: uuid('checkin_id').notNull(),
  checkedInAt: ts('checked_in_at').notNull(),
  undoneAt: ts('undone_at').notNull(),
  deviceId: uuid('device_id'),
  userId: uuid('user_id'),
});

/** An add-on handed out at the gate, once per ticket and add-on. */
export const addOnRedemptions = pgTable(
  'add_on_redemptions',
  {
    ticketId: uuid('ticket_id').notNull(),
    addOnId: uuid('add_on_id').notNull(),
    eventId: uuid('event_id').notNull(),
    redeemedAt: ts('redeemed_at').notNull(),
    deviceId: uuid('device_id'),
    userId: uuid('user_id'),
    nonce: text('nonce'),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.addOnId] })],
);

/** Misses on the code path per scanner or IP within a window, and the cooling-off they triggered. */
export const codeGuessLimits = pgTable('code_guess_limits', {
  key: text('key').primaryKey(),
  windowStart: ts('window_start').notNull(),
  misses: integer('misses').notNull(),
  blockedUntil: ts('blocked_until'),
});
