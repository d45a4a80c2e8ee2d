import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { DEADLOCK, sqlStateOf } from '../../shared/sqlstate.ts';
import { newId } from '../../shared/ids.ts';
import * as tickets from '../tickets/index.ts';
import { hashToken } from '../../shared/ids.ts';
import type { CheckinResult, CheckinStats, GateScanner, ScanActor, ScanInput, ScanResult, Scanner } from './dto.ts';
import { deviceForToken } from './devices.ts';
import * as repo from './repo.ts';
import { guardCodeGuess, type CodeLimiterDeps } from './code-limiter.ts';
import { currentHolder, isoOf, logRejectedAttempt, scanStatement, type Attempt, type AttemptBy, type ScanRow, type TicketLookup } from './scan-repo.ts';
import { exitStatement } from './exit-repo.ts';

export type CheckinDeps = CodeLimiterDeps & { clock: Clock };

/** The scanner as the columns that record who acted (device, user, or a device token to resolve). */
export const attemptByOf = (s: Scanner | GateScanner): AttemptBy =>
  s.kind === 'deviceToken' ? { deviceId: null, userId: null, deviceTokenHash: hashToken(s.token) } :
  s.kind === 'device' ? { deviceId: s.deviceId, userId: null } : { deviceId: null, userId: s.userId };
/** The event a scanner may act on: a device only its own; staff any. */
export const eventScopeOf = (s: Scanner) => (s.kind === 'device' ? s.eventId : null);

export function assertMayScan(scanner: Scanner, eventId: string) {
  if (scanner.kind === 'device' && scanner.eventId !== eventId) {
    throw new AppError('FORBIDDEN', 'This scanner is enrolled for another event', { field: 'eventId' });
  }
}

/**
 * How far a device's scannedAt may lie from the server's clock. Behind: a scanner that lost its
 * connection sends its queue later (a weekend festival's worth). Ahead: only a wrongly set phone clock
 * (a day covers a wrong time zone); a scan cannot happen in the future.
 */
const SCANNED_AT_MAX_AGE_MS = 7 * 24 * 3600_000;
const SCANNED_AT_MAX_AHEAD_MS = 24 * 3600_000;

/** Refuses a scan time outside those bounds as bad input on `field` (a live scan's, or one upload's). */
export function assertPlausibleScanTime(scannedAt: string, now: Date, field: string) {
  const offset = new Date(scannedAt).getTime() - now.getTime();
  if (offset < -SCANNED_AT_MAX_AGE_MS || offset > SCANNED_AT_MAX_AHEAD_MS) {
    const message = "The scan time is more than 7 days ago or a day ahead of the server's clock: check the device's date and time";
    throw new AppError('VALIDATION', message, { field });
  }
}

function scannedAtOf(input: ScanInput, now: Date): Date | null {
  if (input.scannedAt === undefined) return null;
  assertPlausibleScanTime(input.scannedAt, now, 'scannedAt');
  return new Date(input.scannedAt);
}

/** Two requests with one nonce at once can deadlock on each other's rows (DEADLOCK); the retry then sees the winner. */
const MAX_STATEMENT_TRIES = 3;

/**
 * Judges one scan and records it. A QR is verified against the event's Ed25519 key in memory first
 * (the key is cached per process): an unreadable, forged or altered QR is INVALID, and another event's
 * ticket WRONG_EVENT, without reading the tickets table. A genuine QR then costs one SQL statement.
 * The 6-digit code path is guarded by a per-scanner and per-IP miss limiter.
 * Callable without tRPC (a fast HTTP path may call it directly).
 */
export async function scan(deps: CheckinDeps, input: ScanInput, actor: ScanActor | (GateScanner & { ip: string })): Promise<ScanResult> {
  if (actor.kind === 'deviceToken') {
    // The live QR check-in checks the token inside its statement; the rarer paths look the device up first.
    if (input.qr !== undefined && input.direction !== 'out') return scanQr(deps.db, attemptOf(deps, input, actor, false), input.qr.trim());
    const device = await deviceForToken(deps.db, actor.token);
    if (!device) throw revoked();
    return scan(deps, input, { kind: 'device', deviceId: device.id, eventId: device.eventId, name: device.name, ip: actor.ip });
  }
  assertMayScan(actor, input.eventId);
  const attempt = attemptOf(deps, input, actor, false);
  if (input.qr !== undefined) return scanQr(deps.db, attempt, input.qr.trim());
  const code = input.code!;
  return guardCodeGuess(deps, actor, attempt.now, () => decide(deps.db, attempt, { code }, null));
}

/**
 * Judges a scan a device already judged offline and now uploads (checkin.sync): the same statements as
 * a live scan (one conditional write; the nonce makes a resent upload answer the same), but the
 * person passed at the device's scannedAt. The code limiter is skipped: the device holds the event's
 * whole snapshot, codes included, so there is nothing left for it to guess.
 */
export async function judgeUpload(
  db: Db,
  clock: Clock,
  input: ScanInput & { nonce: string; scannedAt: string },
  device: Extract<Scanner, { kind: 'device' }>,
): Promise<ScanResult> {
  const attempt = attemptOf({ clock }, input, device, true);
  if (input.qr !== undefined) return scanQr(db, attempt, input.qr.trim());
  return decide(db, attempt, { code: input.code! }, null);
}

function attemptOf(deps: Pick<CheckinDeps, 'clock'>, input: ScanInput, scanner: Scanner | GateScanner, offline: boolean): Attempt {
  const now = deps.clock();
  const scannedAt = scannedAtOf(input, now);
  return {
    id: newId(),
    eventId: input.eventId,
    ...attemptByOf(scanner),
    method: input.qr !== undefined ? 'qr' : 'code',
    nonce: input.nonce ?? null,
    scannedAt,
    now,
    direction: input.direction ?? 'in',
    offline,
    passedAt: offline && scannedAt ? scannedAt : now,
  };
}

async function scanQr(db: Db, attempt: Attempt, qr: string): Promise<ScanResult> {
  const claim = tickets.parseTicketSecret(qr);
  if (!claim) return rejected(db, attempt, 'invalid', 'Not a ticket QR code');
  const key = await tickets.verifyingKeyOf(db, claim.eventId);
  if (!key || !tickets.verifyTicketSecret(claim, key)) return rejected(db, attempt, 'invalid', 'Forged or damaged QR code');
  if (claim.eventId !== attempt.eventId) return rejected(db, attempt, 'wrong_event', 'Ticket for another event');
  return decide(db, attempt, { ticketId: claim.ticketId }, qr);
}

const revoked = () => new AppError('DEVICE_REVOKED', 'This scanner device is unknown or was revoked');

/** A token-identified device, as its statement found it: unknown or revoked, or enrolled elsewhere, is refused. */
function assertTokenScanner(attempt: Attempt, deviceEventId: string | null) {
  if (!attempt.deviceTokenHash) return;
  if (deviceEventId === null) throw revoked();
  if (deviceEventId !== attempt.eventId) throw new AppError('FORBIDDEN', 'This scanner is enrolled for another event', { field: 'eventId' });
}

async function rejected(db: Db, attempt: Attempt, result: CheckinResult, reason: string): Promise<ScanResult> {
  // The same request retried gives the same verdict; ON CONFLICT keeps its one attempt row.
  const logged = await logRejectedAttempt(db, attempt, result, reason);
  assertTokenScanner(attempt, logged.device_event_id);
  return { result, reason };
}

/** Runs the scan (or exit) statement for the ticket `lookup` names; a code is looked up in the attempt's event. */
async function decide(db: Db, attempt: Attempt, lookup: TicketLookup, secret: string | null) {
  for (let tries = 1; ; tries++) {
    let row: ScanRow;
    try {
      row = await (attempt.direction === 'out' ? exitStatement : scanStatement)(db, lookup, attempt, secret);
    } catch (err) {
      if (sqlStateOf(err) === DEADLOCK && tries < MAX_STATEMENT_TRIES) continue;
      throw err;
    }
    assertTokenScanner(attempt, row.device_event_id);
    // Another request with this nonce committed meanwhile: run again to answer with its verdict.
    if (!row.settled && tries < MAX_STATEMENT_TRIES) continue;
    return toScanResult(db, row, attempt.direction);
  }
}

/** Units of an add-on not handed out yet, given the units out per add-on id. */
export const unitsLeft = (a: { id: string; quantity: number }, redeemed: Record<string, number> | null) =>
  Math.max(0, a.quantity - (redeemed?.[a.id] ?? 0));

async function toScanResult(db: Db, row: ScanRow, direction: 'in' | 'out'): Promise<ScanResult> {
  const known = row.result === 'ok' || row.result === 'already_checked_in' || row.result === 'not_inside';
  const reason = row.reason ? { reason: row.reason } : {};
  if (!known || !row.ticket) return { result: row.result, ...reason };
  const t = row.ticket;
  const ticket = {
    id: t.id,
    code: t.code,
    ticketTypeName: t.ticket_type_name,
    attendeeName: t.attendee_name,
    addOns: t.add_ons.map((a) => ({ id: a.id, name: a.name, quantity: a.quantity, left: unitsLeft(a, row.redeemed) })),
  };
  if (row.result === 'not_inside') return { result: 'not_inside', ticket, ...reason };
  if (row.result === 'ok' && direction === 'out') return { result: 'ok', ticket, exitedAt: isoOf(row.checked_in_at!) };
  if (row.result === 'ok') return { result: 'ok', ticket, checkedInAt: isoOf(row.checked_in_at!) };
  // The holder as the statement saw it; a scan that lost to one committed meanwhile reads it afresh.
  const holder = row.holder_at
    ? { at: row.holder_at, device: row.holder_device }
    : await currentHolder(db, t.id).then((h) => h && { at: h.checked_in_at, device: h.device_name });
  return { result: 'already_checked_in', ticket, ...(holder ? { previous: { at: isoOf(holder.at), device: holder.device } } : {}) };
}

/** Takes a mistaken check-in back; the undo is recorded with who and when. */
export async function undo(deps: Pick<CheckinDeps, 'db' | 'clock'>, input: { ticketId: string }, scanner: Scanner) {
  const row = await repo.undoCheckin(deps.db, {
    id: newId(),
    ticketId: input.ticketId,
    eventId: eventScopeOf(scanner),
    ...attemptByOf(scanner),
    now: deps.clock(),
  });
  if (!row) throw new AppError('NOT_CHECKED_IN', 'This ticket is not checked in');
  return { ticketId: input.ticketId, checkedInAt: isoOf(row.checked_in_at), undoneAt: isoOf(row.undone_at) };
}

/** Checked in / inside now / exits and total (valid tickets) for an event, per ticket type. */
export async function stats(db: Db, eventId: string, scanner: Scanner): Promise<CheckinStats> {
  assertMayScan(scanner, eventId);
  return gateCounts(db, eventId);
}

/** Per ticket type and in all: tickets valid, checked in, inside now, exits (the gate's and the control room's numbers). */
export async function gateCounts(db: Db, eventId: string): Promise<CheckinStats> {
  const [totals, inside] = await Promise.all([tickets.validTicketCounts(db, eventId), repo.checkedInCounts(db, eventId)]);
  const gateByType = new Map(inside.map((r) => [r.ticketTypeId, r]));
  const byTicketType = totals.map((t) => ({
    ticketTypeId: t.ticketTypeId,
    name: t.ticketTypeName,
    checkedIn: gateByType.get(t.ticketTypeId)?.checkedIn ?? 0,
    inside: gateByType.get(t.ticketTypeId)?.inside ?? 0,
    exits: gateByType.get(t.ticketTypeId)?.exits ?? 0,
    total: t.total,
  }));
  const sum = (k: 'checkedIn' | 'inside' | 'exits' | 'total') => byTicketType.reduce((n, t) => n + t[k], 0);
  return { checkedIn: sum('checkedIn'), inside: sum('inside'), exits: sum('exits'), total: sum('total'), byTicketType };
}
