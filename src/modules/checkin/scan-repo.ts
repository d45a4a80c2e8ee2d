import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { batchedRow, batchInput } from '../../db/statement-batches.ts';
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
 * The gate's statements (entry, exit, a refused attempt) are set-based: each reads its attempts from
 * the batch input (CTE `a`, one row per attempt) and answers one row per attempt, so concurrent scans
 * share one execution (db/statement-batches.ts). A statement is built once per kind and shape, then only
 * bound: the text depends on an attempt only through shapeOf() — the one list of the branches the
 * fragments take — and every value travels in the batch input. A new branch must be added there.
 */

/** How a scan names its ticket: by the QR's ticket id, or by the typed code within the attempt's event. */
export type TicketLookup = { ticketId: string } | { code: string };

/** What a statement takes beside the attempt: the scanned QR, the ticket lookup, a verdict decided without the database. */
type Extra = { secret?: string | null; lookup?: TicketLookup; result?: CheckinResult; reason?: string };

/** Every branch the fragments take on an attempt and a lookup (see above). */
type Shape = { by: 'token' | 'device' | 'user'; nonce: boolean; lookup?: 'by-id' | 'by-code' };
const shapeOf = (a: Attempt, lookup?: TicketLookup): Shape => ({
  by: a.deviceTokenHash ? 'token' : a.deviceId ? 'device' : 'user',
  nonce: a.nonce !== null,
  lookup: lookup && ('ticketId' in lookup ? 'by-id' : 'by-code'),
});
const keyOf = (kind: string, s: Shape) => [kind, s.by, s.nonce ? 'nonce' : 'once', s.lookup].join('|');

/** One attempt as a row of CTE `a` (the columns attemptsCte declares). */
const inputOf = (a: Attempt, { secret = null, lookup, result, reason }: Extra) => ({
  id: a.id,
  event_id: a.eventId,
  device_id: a.deviceId,
  user_id: a.userId,
  token_hash: a.deviceTokenHash ?? null,
  method: a.method,
  nonce: a.nonce,
  scanned_at: iso(a.scannedAt),
  recorded_at: iso(a.now),
  passed_at: iso(a.passedAt),
  direction: a.direction,
  offline: a.offline,
  secret,
  ticket_id: lookup && 'ticketId' in lookup ? lookup.ticketId : null,
  code: lookup && 'code' in lookup ? lookup.code : null,
  given_result: result ?? null,
  given_reason: reason ?? null,
});

/**
 * What two attempts of one statement must not share: the ticket (both would claim the same row; the
 * second must see the first's claim) and the scanner's nonce (the second must see the first as prior).
 */
const exclusiveOf = (a: Attempt, lookup?: TicketLookup) => {
  const keys: string[] = [];
  if (lookup) keys.push('ticketId' in lookup ? `ticket:${lookup.ticketId}` : `code:${a.eventId}:${lookup.code}`);
  if (a.nonce !== null) keys.push(`nonce:${a.deviceTokenHash ?? a.deviceId ?? a.userId}:${a.nonce}`);
  return keys;
};

/** The answer row of `kind`'s statement for this attempt, run together with concurrent attempts of its shape. */
const attemptRow = <T>(db: Db, kind: string, a: Attempt, build: (s: Shape) => SQL, extra: Extra = {}) => {
  const shape = shapeOf(a, extra.lookup);
  return batchedRow<T>(db, keyOf(kind, shape), () => build(shape), inputOf(a, extra), exclusiveOf(a, extra.lookup));
};

/** CTE `a`: the statement's attempts, from the batch input. */
const attemptsCte = sql`a AS (
  SELECT * FROM json_to_recordset(${batchInput}::json) AS a(
    ord int, id uuid, event_id uuid, device_id uuid, user_id uuid, token_hash text, method text, nonce text,
    scanned_at timestamptz, recorded_at timestamptz, passed_at timestamptz, direction text, offline boolean,
    secret text, ticket_id uuid, code text, given_result text, given_reason text))`;

/**
 * The scanning device of each attempt (`scanner_id`), the event of a token-identified device
 * (`device_event_id`: null when unknown or revoked) and whether it may scan this event (`gate`; a
 * known scanner always may). Nothing is written, nor a prior nonce read, without `gate`.
 */
const scannerOf = (s: Shape) => {
  const scanner =
    s.by === 'token'
      ? { join: sql`LEFT JOIN devices dev ON dev.token_hash = a.token_hash AND dev.revoked_at IS NULL`, id: sql`dev.id`, eventId: sql`dev.event_id`, gate: sql`COALESCE(dev.event_id = a.event_id, false)` }
      : { join: sql``, id: sql`a.device_id`, eventId: sql`NULL::uuid`, gate: sql`true` };
  return { ...scanner, columns: sql`${scanner.id} AS scanner_id, ${scanner.eventId} AS device_event_id, ${scanner.gate} AS gate` };
};

/**
 * The earlier attempt by the same scanner with the same nonce (none without a nonce). OFFSET 0 keeps
 * each lateral lookup a per-attempt index probe: a generic plan cannot know how many attempts come.
 */
const priorOf = (s: Shape, scanner: SQL) =>
  !s.nonce
    ? sql`SELECT NULL::text AS result, NULL::text AS reason, NULL::timestamptz AS recorded_at WHERE false`
    : s.by === 'user'
      ? sql`SELECT c.result, c.reason, c.recorded_at FROM checkins c
            WHERE c.device_id IS NULL AND c.user_id = a.user_id AND c.nonce = a.nonce OFFSET 0`
      : sql`SELECT c.result, c.reason, c.recorded_at FROM checkins c WHERE c.device_id = ${scanner} AND c.nonce = a.nonce OFFSET 0`;

/** The ticket an attempt names (the tickets module's fragment; a code is looked up in the attempt's event). */
const ticketOf = (s: Shape) =>
  s.lookup === 'by-id'
    ? tickets.gateTicketQuery({ ticketId: sql`a.ticket_id` })
    : tickets.gateTicketQuery({ eventId: sql`a.event_id`, code: sql`a.code` });

/**
 * CTEs `a`, `verdict`: each attempt with its scanner (scannerOf), its prior attempt with the same nonce
 * (`prior_*`), its ticket (`t_*`) and the judgement `v`: 'admissible' or the refusal, with `v_reason`.
 * `secret` is the scanned QR (already signature-checked; null for a typed code): a valid signature
 * whose secret no longer matches the ticket means the ticket was re-issued, so the old QR is invalid.
 */
export const judgedCtes = (s: Shape) => {
  const scanner = scannerOf(s);
  return sql`${attemptsCte},
  scanned AS (
    SELECT a.*, ${scanner.columns},
           prior.result AS prior_result, prior.reason AS prior_reason, prior.recorded_at AS prior_at,
           t.id AS t_id, t.event_id AS t_event_id, t.ticket_type_id AS t_type_id, t.status AS t_status, t.secret AS t_secret,
           t.code AS t_code, t.ticket_type_name AS t_type_name, t.attendee_name AS t_attendee, t.add_ons AS t_add_ons
    FROM a ${scanner.join}
    LEFT JOIN LATERAL (${priorOf(s, scanner.id)}) prior ON ${scanner.gate}
    LEFT JOIN LATERAL (${ticketOf(s)} OFFSET 0) t ON true
  ),
  verdict AS (
    SELECT scanned.*,
           CASE WHEN NOT gate THEN 'refused'
                WHEN t_id IS NULL THEN 'invalid'
                WHEN t_event_id <> event_id THEN 'wrong_event'
                WHEN t_status <> 'valid' THEN 'cancelled'
                WHEN secret IS NOT NULL AND t_secret <> secret THEN 'invalid'
                ELSE 'admissible' END AS v,
           CASE WHEN t_id IS NULL THEN 'No ticket with this code for this event'
                WHEN t_event_id <> event_id THEN 'Ticket for another event'
                WHEN t_status <> 'valid' THEN 'Ticket cancelled or refunded'
                WHEN secret IS NOT NULL AND t_secret <> secret THEN 'Outdated QR: the ticket was re-issued'
           END AS v_reason
    FROM scanned
  )`;
};

/** CTE `logged`: each attempt of CTE `outcome` (its result, reason) logged, unless its scanner already sent its nonce. */
export const loggedCte = sql`logged AS (
    INSERT INTO checkins (id, event_id, ticket_id, device_id, user_id, method, result, reason, nonce, scanned_at, recorded_at, direction, offline)
    SELECT id, event_id, t_id, scanner_id, user_id, method, result, reason, nonce, scanned_at, recorded_at, direction, offline
    FROM outcome WHERE prior_result IS NULL AND gate
    ON CONFLICT DO NOTHING
    RETURNING id)`;

/**
 * The answer (ScanRow and `ord`) per attempt of CTEs `outcome` (as o: result, reason, won_at) and
 * `logged`: the original verdict for a replayed nonce, else this statement's. `holder` is a lateral
 * join for holder_at and holder_device.
 */
export const answerQuery = (holder: SQL) => sql`SELECT o.ord,
       COALESCE(o.prior_result, o.result) AS result,
       CASE WHEN o.prior_result IS NOT NULL THEN o.prior_reason ELSE o.reason END AS reason,
       o.prior_result IS NOT NULL AS replayed,
       o.prior_result IS NOT NULL OR logged.id IS NOT NULL AS settled,
       CASE WHEN o.t_id IS NOT NULL THEN json_build_object('id', o.t_id, 'code', o.t_code, 'ticket_type_name', o.t_type_name,
                                                             'attendee_name', o.t_attendee, 'add_ons', o.t_add_ons) END AS ticket,
       (SELECT json_object_agg(u.add_on_id, u.redeemed) FROM add_on_usage u WHERE u.ticket_id = o.t_id) AS redeemed,
       COALESCE(o.won_at, CASE WHEN o.prior_result = 'ok' THEN o.prior_at END) AS checked_in_at,
       holder.checked_in_at AS holder_at, holder.device_name AS holder_device,
       o.device_event_id
FROM outcome o LEFT JOIN logged ON logged.id = o.id
LEFT JOIN LATERAL (${holder}) AS holder ON true`;

/** The answer of a statement of `kind` (db/statement-batches.ts) for this attempt. */
export const judgedRow = (db: Db, kind: string, a: Attempt, build: (s: Shape) => SQL, lookup: TicketLookup, secret: string | null) =>
  attemptRow<ScanRow>(db, kind, a, build, { lookup, secret });

/**
 * One statement per batch of scans, one row per scan: look each ticket up (the tickets module's
 * fragment), judge it, claim its check-in with INSERT … ON CONFLICT DO NOTHING on the ticket's primary
 * key (exactly one concurrent claim wins: never read-then-write; claims go in ticket order, so two
 * batches never wait on each other's rows in a circle), and log each attempt — unless its scanner
 * already sent its nonce, in which case nothing is written and the original verdict comes back.
 *
 * Re-entry: a ticket whose holder went out (exited_at set) is claimed again by the same conditional
 * write — ON CONFLICT DO UPDATE … WHERE exited_at IS NOT NULL and the event allows re-entry — so of two
 * concurrent re-entries one wins; with re-entry off it is ALREADY CHECKED IN, as before.
 *
 * Reading `ticket_checkins` in the same statement sees the snapshot from its start; a claim that lost
 * to a scan committed after that start has no holder row, and the service reads it separately.
 */
export function scanStatement(db: Db, lookup: TicketLookup, a: Attempt, secret: string | null): Promise<ScanRow> {
  return judgedRow(db, 'scan', a, (s) => sql`WITH ${judgedCtes(s)},
  won AS (
    INSERT INTO ticket_checkins (ticket_id, event_id, ticket_type_id, checkin_id, checked_in_at, device_id, user_id)
    SELECT t_id, t_event_id, t_type_id, id, passed_at, scanner_id, user_id
    FROM verdict WHERE v = 'admissible' AND prior_result IS NULL
    ORDER BY t_id
    ON CONFLICT (ticket_id) DO UPDATE SET exited_at = NULL
      WHERE ticket_checkins.exited_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM gate_settings g WHERE g.event_id = ticket_checkins.event_id AND g.allow_reentry)
    RETURNING ticket_id, checked_in_at
  ),
  outcome AS (
    SELECT verdict.*, won.checked_in_at AS won_at,
           CASE WHEN v <> 'admissible' THEN v WHEN won.ticket_id IS NOT NULL THEN 'ok' ELSE 'already_checked_in' END AS result,
           v_reason AS reason
    FROM verdict LEFT JOIN won ON won.ticket_id = verdict.t_id AND verdict.v = 'admissible' AND verdict.prior_result IS NULL
  ),
  ${loggedCte}
${answerQuery(sql`SELECT tc.checked_in_at, d.name AS device_name FROM ticket_checkins tc LEFT JOIN devices d ON d.id = tc.device_id
  WHERE tc.ticket_id = o.t_id OFFSET 0`)}`, lookup, secret);
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
export function logRejectedAttempt(db: Db, a: Attempt, result: CheckinResult, reason: string) {
  return attemptRow<{ device_event_id: string | null }>(db, 'rejected', a, (s) => {
    const scanner = scannerOf(s);
    return sql`WITH ${attemptsCte},
  scanned AS (SELECT a.*, ${scanner.columns} FROM a ${scanner.join}),
  logged AS (
    INSERT INTO checkins (id, event_id, ticket_id, device_id, user_id, method, result, reason, nonce, scanned_at, recorded_at, direction, offline)
    SELECT id, event_id, NULL, scanner_id, user_id, method, given_result, given_reason, nonce, scanned_at, recorded_at, direction, offline
    FROM scanned WHERE gate
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT ord, device_event_id FROM scanned`;
  }, { result, reason });
}
