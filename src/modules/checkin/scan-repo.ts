import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { cachedNamedRows } from '../../db/named-statements.ts';
import * as tickets from '../tickets/index.ts';
import type { Executor } from '../../shared/tx.ts';
import type { CheckinResult } from './dto.ts';

/** Rows of a raw statement, whichever driver ran it (node-postgres and PGlite both answer { rows }). */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Who scans: a known device or user, or (the live QR path) a device known only by its token's hash,
 * which the scan statement itself resolves — the device check costs no separate round trip.
 */
export type AttemptBy = { deviceId: string | null; userId: string | null; deviceTokenHash?: string };
export type Attempt = AttemptBy & {
  id: string;
  eventId: string;
  method: 'qr' | 'code';
  nonce: string | null;
  scannedAt: Date | null;
  now: Date;
  direction: 'in' | 'out';
  /** Judged offline by the device first and uploaded later (checkin.sync). */
  offline: boolean;
  /** When the person passed: now for a live scan, the device's scannedAt for an offline upload. */
  passedAt: Date;
};

export type ScanRow = {
  /** The verdict of this statement, or of the earlier attempt with the same nonce (see `replayed`). */
  result: CheckinResult;
  reason: string | null;
  replayed: boolean;
  /** False when another request with the same nonce committed while this one ran: ask again. */
  settled: boolean;
  ticket: { id: string; code: string; ticket_type_name: string; attendee_name: string; add_ons: { id: string; name: string; quantity: number }[] } | null;
  /** Units of the ticket's add-ons out now, by add-on id (null: none). */
  redeemed: Record<string, number> | null;
  /** When this scan (or the original of a replayed nonce) checked the ticket in. */
  checked_in_at: Date | string | null;
  holder_at: Date | string | null;
  holder_device: string | null;
  /** For a token-identified device: its event, or null when the token is unknown or revoked. */
  device_event_id: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** A time from a raw SQL row (node-postgres gives a Date, PGlite may give text) as ISO text. */
export const isoOf = (d: Date | string) => new Date(d).toISOString();

/*
 * The scan statements are built once per shape and then only bound (db/named-statements.ts): building
 * one through Drizzle costs more server CPU than anything else a scan does in JavaScript but the Ed25519
 * check. So the fragments below never put a value in their text: every value is a placeholder of `bound`,
 * filled per call from valuesOf(), and the text depends on the attempt only through shapeOf() — the one
 * list of the branches the fragments take. A new branch on an attempt's value must be added there.
 */
export const bound = {
  id: sql.placeholder('id'),
  eventId: sql.placeholder('eventId'),
  deviceId: sql.placeholder('deviceId'),
  userId: sql.placeholder('userId'),
  tokenHash: sql.placeholder('tokenHash'),
  method: sql.placeholder('method'),
  nonce: sql.placeholder('nonce'),
  scannedAt: sql.placeholder('scannedAt'),
  now: sql.placeholder('now'),
  passedAt: sql.placeholder('passedAt'),
  direction: sql.placeholder('direction'),
  offline: sql.placeholder('offline'),
  secret: sql.placeholder('secret'),
  ticketId: sql.placeholder('ticketId'),
  code: sql.placeholder('code'),
  result: sql.placeholder('result'),
  reason: sql.placeholder('reason'),
};

/** How a scan names its ticket: by the QR's ticket id, or by the typed code within the attempt's event. */
export type TicketLookup = { ticketId: string } | { code: string };

/** What a statement binds beside the attempt: the scanned QR, the ticket lookup, a verdict decided without the database. */
type Extra = { secret?: string | null; lookup?: TicketLookup; result?: CheckinResult; reason?: string };

/** Every branch the fragments take on an attempt and a lookup (see above). */
const shapeOf = (a: Attempt, lookup?: TicketLookup) =>
  [a.deviceTokenHash ? 'token' : a.deviceId ? 'device' : 'user', a.nonce === null ? 'once' : 'nonce', lookup && ('ticketId' in lookup ? 'by-id' : 'by-code')].join('|');

/** The values of one call, by placeholder name. */
const valuesOf = (a: Attempt, { secret = null, lookup, result, reason }: Extra) => ({
  id: a.id,
  eventId: a.eventId,
  deviceId: a.deviceId,
  userId: a.userId,
  tokenHash: a.deviceTokenHash ?? null,
  method: a.method,
  nonce: a.nonce,
  scannedAt: iso(a.scannedAt),
  now: iso(a.now),
  passedAt: iso(a.passedAt),
  direction: a.direction,
  offline: a.offline,
  secret,
  ticketId: lookup && 'ticketId' in lookup ? lookup.ticketId : null,
  code: lookup && 'code' in lookup ? lookup.code : null,
  result: result ?? null,
  reason: reason ?? null,
});

/** A statement of `kind` for this attempt: built once per kind and shape, then run with the values. */
export const scanRows = <T>(db: Db, kind: string, a: Attempt, build: () => SQL, extra: Extra = {}) =>
  cachedNamedRows<T>(db, `${kind}|${shapeOf(a, extra.lookup)}`, build, valuesOf(a, extra));

/** CTE `t`: the ticket a scan names (the tickets module's fragment; a code is looked up in the attempt's event). */
export const ticketCte = (lookup: TicketLookup) =>
  'ticketId' in lookup ? tickets.gateTicketQuery({ ticketId: bound.ticketId }) : tickets.gateTicketQuery({ eventId: bound.eventId, code: bound.code });

/** The scanning device's id: given, or from CTE `dev` (deviceCtes) for a token-identified device. */
const deviceOf = (a: Attempt) => (a.deviceTokenHash ? sql`(SELECT id FROM dev)` : sql`${bound.deviceId}::uuid`);

/**
 * CTEs `dev` (the active device behind the token) and `gate` (a row when it may scan this event); for a
 * known scanner `gate` is always there. Nothing is written, nor a prior nonce read, without `gate`.
 */
export const deviceCtes = (a: Attempt) =>
  a.deviceTokenHash
    ? sql`dev AS (SELECT id, event_id FROM devices WHERE token_hash = ${bound.tokenHash}::text AND revoked_at IS NULL),
  gate AS (SELECT 1 FROM dev WHERE event_id = ${bound.eventId}::uuid),`
    : sql`dev AS (SELECT NULL::uuid AS id, NULL::uuid AS event_id WHERE false),
  gate AS (SELECT 1),`;

/** The earlier attempt by the same scanner with the same nonce (none without a nonce). */
export const priorAttempt = (a: Attempt) =>
  a.nonce === null
    ? sql`SELECT NULL::text AS result, NULL::text AS reason, NULL::timestamptz AS recorded_at WHERE false`
    : a.deviceId || a.deviceTokenHash
      ? sql`SELECT result, reason, recorded_at FROM checkins WHERE device_id = ${deviceOf(a)} AND nonce = ${bound.nonce}::text`
      : sql`SELECT result, reason, recorded_at FROM checkins
            WHERE device_id IS NULL AND user_id = ${bound.userId}::uuid AND nonce = ${bound.nonce}::text`;

/**
 * Judges the ticket in CTE `t` for this attempt: v is 'admissible' or the refusal, with its reason.
 * `bound.secret` is the scanned QR (already signature-checked; null for a typed code): a valid signature
 * whose secret no longer matches the ticket means the ticket was re-issued, so the old QR is invalid.
 */
export const verdictQuery = sql`
    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM gate) THEN 'refused'
                WHEN t.id IS NULL THEN 'invalid'
                WHEN t.event_id <> ${bound.eventId}::uuid THEN 'wrong_event'
                WHEN t.status <> 'valid' THEN 'cancelled'
                WHEN ${bound.secret}::text IS NOT NULL AND t.secret <> ${bound.secret}::text THEN 'invalid'
                ELSE 'admissible' END AS v,
           CASE WHEN t.id IS NULL THEN 'No ticket with this code for this event'
                WHEN t.event_id <> ${bound.eventId}::uuid THEN 'Ticket for another event'
                WHEN t.status <> 'valid' THEN 'Ticket cancelled or refunded'
                WHEN ${bound.secret}::text IS NOT NULL AND t.secret <> ${bound.secret}::text THEN 'Outdated QR: the ticket was re-issued'
           END AS reason
    FROM (SELECT 1) AS one LEFT JOIN t ON true`;

/** Logs the attempt unless this scanner already sent this nonce (`outcome` CTE: result, reason). */
export const logAttemptQuery = (a: Attempt) => sql`
    INSERT INTO checkins (id, event_id, ticket_id, device_id, user_id, method, result, reason, nonce, scanned_at, recorded_at, direction, offline)
    SELECT ${bound.id}::uuid, ${bound.eventId}::uuid, (SELECT id FROM t), ${deviceOf(a)}, ${bound.userId}::uuid, ${bound.method}::text,
           outcome.result, outcome.reason, ${bound.nonce}::text, ${bound.scannedAt}::timestamptz, ${bound.now}::timestamptz,
           ${bound.direction}::text, ${bound.offline}::boolean
    FROM outcome WHERE NOT EXISTS (SELECT 1 FROM prior) AND EXISTS (SELECT 1 FROM gate)
    ON CONFLICT DO NOTHING
    RETURNING id`;

/**
 * The answer's first columns (ScanRow: result, reason, replayed, settled, ticket) from the CTEs prior,
 * outcome, logged and t: the original verdict for a replayed nonce, else this statement's.
 */
export const verdictColumns = sql`COALESCE((SELECT result FROM prior), outcome.result) AS result,
       CASE WHEN EXISTS (SELECT 1 FROM prior) THEN (SELECT reason FROM prior) ELSE outcome.reason END AS reason,
       EXISTS (SELECT 1 FROM prior) AS replayed,
       EXISTS (SELECT 1 FROM prior) OR EXISTS (SELECT 1 FROM logged) AS settled,
       (SELECT json_build_object('id', t.id, 'code', t.code, 'ticket_type_name', t.ticket_type_name,
                                 'attendee_name', t.attendee_name, 'add_ons', t.add_ons) FROM t) AS ticket`;

/** ScanRow's `redeemed`: the units of the add-ons of the ticket in CTE `t` out now (migration 0650). */
export const redeemedColumn = sql`(SELECT json_object_agg(u.add_on_id, u.redeemed) FROM add_on_usage u WHERE u.ticket_id = (SELECT id FROM t)) AS redeemed`;

/**
 * One statement, one round trip: look the ticket up (the tickets module's fragment), judge it, claim
 * its check-in with INSERT … ON CONFLICT DO NOTHING on the ticket's primary key (exactly one concurrent
 * claim wins: never read-then-write), and log the attempt — unless this scanner already sent this nonce,
 * in which case nothing is written and the original verdict comes back.
 *
 * Re-entry: a ticket whose holder went out (exited_at set) is claimed again by the same conditional
 * write — ON CONFLICT DO UPDATE … WHERE exited_at IS NOT NULL and the event allows re-entry — so of two
 * concurrent re-entries one wins; with re-entry off it is ALREADY CHECKED IN, as before.
 *
 * Reading `ticket_checkins` in the same statement sees the snapshot from its start; a claim that lost
 * to a scan committed after that start has no holder row, and the service reads it separately.
 */
export async function scanStatement(db: Db, lookup: TicketLookup, a: Attempt, secret: string | null): Promise<ScanRow> {
  const [row] = await scanRows<ScanRow>(
    db,
    'scan',
    a,
    () => sql`WITH ${deviceCtes(a)}
  prior AS (${priorAttempt(a)}),
  t AS (${ticketCte(lookup)}),
  verdict AS (${verdictQuery}),
  won AS (
    INSERT INTO ticket_checkins (ticket_id, event_id, ticket_type_id, checkin_id, checked_in_at, device_id, user_id)
    SELECT t.id, t.event_id, t.ticket_type_id, ${bound.id}::uuid, ${bound.passedAt}::timestamptz, ${deviceOf(a)}, ${bound.userId}::uuid
    FROM t, verdict WHERE verdict.v = 'admissible' AND NOT EXISTS (SELECT 1 FROM prior)
    ON CONFLICT (ticket_id) DO UPDATE SET exited_at = NULL
      WHERE ticket_checkins.exited_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM gate_settings g WHERE g.event_id = ticket_checkins.event_id AND g.allow_reentry)
    RETURNING checked_in_at
  ),
  outcome AS (
    SELECT CASE WHEN verdict.v <> 'admissible' THEN verdict.v WHEN EXISTS (SELECT 1 FROM won) THEN 'ok' ELSE 'already_checked_in' END AS result,
           verdict.reason
    FROM verdict
  ),
  logged AS (${logAttemptQuery(a)})
SELECT ${verdictColumns},
       ${redeemedColumn},
       COALESCE((SELECT checked_in_at FROM won), (SELECT recorded_at FROM prior WHERE result = 'ok')) AS checked_in_at,
       holder.checked_in_at AS holder_at, holder.device_name AS holder_device,
       (SELECT event_id FROM dev) AS device_event_id
FROM outcome
LEFT JOIN LATERAL (
  SELECT tc.checked_in_at, d.name AS device_name FROM ticket_checkins tc LEFT JOIN devices d ON d.id = tc.device_id
  WHERE tc.ticket_id = (SELECT id FROM t)
) AS holder ON true`,
    { secret, lookup },
  );
  return row!;
}

/** Who holds a ticket's check-in now (latest committed state, outside any statement snapshot). */
export async function currentHolder(db: Executor, ticketId: string) {
  const [row] = await rowsOf<{ checked_in_at: Date | string; device_name: string | null }>(
    db,
    sql`SELECT tc.checked_in_at, d.name AS device_name FROM ticket_checkins tc LEFT JOIN devices d ON d.id = tc.device_id
        WHERE tc.ticket_id = ${ticketId}::uuid`,
  );
  return row;
}

/**
 * Logs an attempt decided without the database (unreadable or forged QR, another event's ticket). For a
 * token-identified device, only if it may scan this event; the device's event (null: unknown or
 * revoked) comes back either way.
 */
export async function logRejectedAttempt(db: Db, a: Attempt, result: CheckinResult, reason: string) {
  const [row] = await scanRows<{ device_event_id: string | null }>(
    db,
    'rejected',
    a,
    () => sql`WITH ${deviceCtes(a)}
  logged AS (
    INSERT INTO checkins (id, event_id, ticket_id, device_id, user_id, method, result, reason, nonce, scanned_at, recorded_at, direction, offline)
    SELECT ${bound.id}::uuid, ${bound.eventId}::uuid, NULL, ${deviceOf(a)}, ${bound.userId}::uuid, ${bound.method}::text, ${bound.result}::text,
           ${bound.reason}::text, ${bound.nonce}::text, ${bound.scannedAt}::timestamptz, ${bound.now}::timestamptz,
           ${bound.direction}::text, ${bound.offline}::boolean
    FROM gate
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT (SELECT event_id FROM dev) AS device_event_id`,
    { result, reason },
  );
  return row!;
}
