import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid, unique } from 'drizzle-orm/pg-core';

// Mirrors src/db/migrations/0300_checkin.sql, 0600_offline_gate.sql and 0650_add_on_units.sql (the migrations are the source of truth).
const ts = (name: string) => timestamp(name, { withTimezone: true });
/** The transaction that last wrote the row, set by the database (change tracking: migration 0600). */
const changeXid = () => bigint('change_xid', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text::bigint)`);

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

/** not_inside: an exit scan of a ticket that is not inside (never checked in, or already out). */
export const checkinResults = ['ok', 'already_checked_in', 'invalid', 'wrong_event', 'not_paid', 'cancelled', 'not_inside'] as const;
export const directions = ['in', 'out'] as const;

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
    direction: text('direction', { enum: directions }).notNull().default('in'),
    /** Judged by the device from its snapshot first, uploaded later through checkin.sync. */
    offline: boolean('offline').notNull().default(false),
  },
  (t) => [index('checkins_event_keyset_idx').on(t.eventId, t.recordedAt, t.id)],
);

/** The current check-in of a ticket: one row at most, so exactly one scan can win. exitedAt set = outside now. */
export const ticketCheckins = pgTable('ticket_checkins', {
  ticketId: uuid('ticket_id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  ticketTypeId: uuid('ticket_type_id').notNull(),
  checkinId: uuid('checkin_id').notNull(),
  checkedInAt: ts('checked_in_at').notNull(),
  deviceId: uuid('device_id'),
  userId: uuid('user_id'),
  exitedAt: ts('exited_at'),
  exits: integer('exits').notNull().default(0),
  changeXid: changeXid(),
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
  changeXid: changeXid(),
});

/** An add-on redemption: one unit of a ticket's add-on handed out at the gate (live until undone). */
export const addOnRedemptions = pgTable(
  'add_on_redemptions',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id').notNull(),
    addOnId: uuid('add_on_id').notNull(),
    eventId: uuid('event_id').notNull(),
    redeemedAt: ts('redeemed_at').notNull(),
    deviceId: uuid('device_id'),
    userId: uuid('user_id'),
    nonce: text('nonce'),
    undoneAt: ts('undone_at'),
    undoneDeviceId: uuid('undone_device_id'),
    undoneUserId: uuid('undone_user_id'),
  },
  (t) => [index('add_on_redemptions_ticket_idx').on(t.ticketId, t.addOnId, t.redeemedAt)],
);

/** Units of a ticket's add-on out now (live redemptions): the row whose conditional update makes each unit go once (migration 0650). */
export const addOnUsage = pgTable(
  'add_on_usage',
  {
    ticketId: uuid('ticket_id').notNull(),
    addOnId: uuid('add_on_id').notNull(),
    eventId: uuid('event_id').notNull(),
    redeemed: integer('redeemed').notNull(),
    changeXid: changeXid(),
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

/** CheckinConflict: an offline admission uploaded after another scanner had checked the ticket in. */
export const checkinConflicts = pgTable(
  'checkin_conflicts',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    checkinId: uuid('checkin_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    nonce: text('nonce').notNull(),
    scannedAt: ts('scanned_at').notNull(),
    holderCheckinId: uuid('holder_checkin_id').notNull(),
    holderDeviceId: uuid('holder_device_id'),
    holderUserId: uuid('holder_user_id'),
    holderAt: ts('holder_at').notNull(),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [unique().on(t.deviceId, t.nonce), index('checkin_conflicts_event_idx').on(t.eventId, t.recordedAt)],
);

/** GateSettings: an event's gate rules; no row = the defaults. */
export const gateSettings = pgTable('gate_settings', {
  eventId: uuid('event_id').primaryKey(),
  allowReentry: boolean('allow_reentry').notNull().default(false),
  admitUnknownOffline: boolean('admit_unknown_offline').notNull().default(false),
  updatedAt: ts('updated_at').notNull(),
});
