import type { KeyObject } from 'node:crypto';
import { newId } from '../../shared/ids.ts';
import type { Executor, Tx } from '../../shared/tx.ts';
import type { IssuedTicket, IssueLine, TicketView } from './dto.ts';
import { generateSigningKeys, privateKeyFrom, publicKeyFrom, signTicketSecret } from './qr-secret.ts';
import * as repo from './repo.ts';
import { codeDigitsFor, newTicketCode } from './ticket-code.ts';

/**
 * The event's series (key pair, issued count) as the caller's transaction sees it; created on first use.
 * Read each time rather than cached per event: a key pair created inside a transaction that then rolls
 * back must not go on signing tickets that no stored public key verifies.
 */
async function seriesOf(db: Executor, eventId: string) {
  let series = await repo.findSeries(db, eventId);
  if (!series) {
    await repo.ensureSeries(db, { eventId, ...generateSigningKeys() });
    series = await repo.findSeries(db, eventId);
  }
  if (!series) throw new Error(`could not create the ticket series of event ${eventId}`);
  return series;
}

// Parsing DER costs more than the lookup, so KeyObjects are cached by their key text (never stale).
const keyObjects = new Map<string, KeyObject>();
function keyObject(b64: string, parse: (b64: string) => KeyObject): KeyObject {
  let key = keyObjects.get(b64);
  if (!key) keyObjects.set(b64, (key = parse(b64)));
  return key;
}

const privateKeyOf = async (db: Executor, eventId: string) => keyObject((await seriesOf(db, eventId)).privateKey, privateKeyFrom);

/** The event's QR verification key (what a scanner needs); creates the key pair on first use. */
export const publicKeyOf = async (db: Executor, eventId: string) => keyObject((await seriesOf(db, eventId)).publicKey, publicKeyFrom);

/**
 * The event's verification key as base64 SPKI DER (what an offline scanner imports) if the event has
 * ever had one, else null. Unlike publicKeyOf it never creates a key pair, so a scanned QR naming a
 * made-up event cannot make us write anything. Cached per event once found: it reads committed rows
 * only (the gate passes the database, never an open transaction), and a committed key never changes
 * (so a snapshot delta every few seconds costs no query for it). A miss asks the database again.
 */
const keyTexts = new Map<string, string>();
export async function verifyingKeyTextOf(db: Executor, eventId: string): Promise<string | null> {
  const cached = keyTexts.get(eventId);
  if (cached) return cached;
  const series = await repo.findSeries(db, eventId);
  if (!series) return null;
  keyTexts.set(eventId, series.publicKey);
  return series.publicKey;
}

/** The same key as a KeyObject, for verifying a scanned QR in memory. */
export async function verifyingKeyOf(db: Executor, eventId: string): Promise<KeyObject | null> {
  const text = await verifyingKeyTextOf(db, eventId);
  return text === null ? null : keyObject(text, publicKeyFrom);
}

/** The public key as base64 SPKI DER, for scanners that verify offline. */
export const exportPublicKey = async (db: Executor, eventId: string): Promise<string> => (await seriesOf(db, eventId)).publicKey;

const MAX_CODE_ATTEMPTS = 8;

type Draft = IssuedTicket & { ticketTypeId: string };

/**
 * Issues one ticket per unit of each line, with random codes unique in the event and signed secrets.
 * `drawCode` is the code generator; tests pass a scripted one to drive the clash-and-redraw path.
 */
export async function issueTickets(
  tx: Tx,
  input: { orderId: string; eventId: string; attendeeName: string; lines: IssueLine[] },
  now: Date,
  drawCode: (digits: number) => string = newTicketCode,
): Promise<IssuedTicket[]> {
  const key = await privateKeyOf(tx, input.eventId);
  const count = input.lines.reduce((n, l) => n + l.quantity, 0);
  const digits = codeDigitsFor(await repo.bumpIssuedCount(tx, input.eventId, count));

  let pending: Draft[] = input.lines.flatMap((line) =>
    Array.from({ length: line.quantity }, (_, n) => {
      const id = newId();
      return {
        id,
        eventId: input.eventId,
        code: drawCode(digits),
        secret: signTicketSecret(id, input.eventId, key),
        ticketTypeName: line.ticketTypeName,
        attendeeName: line.attendeeNames?.[n] ?? input.attendeeName,
        status: 'valid' as const,
        addOns: line.addOns,
        ticketTypeId: line.ticketTypeId,
      };
    }),
  );
  const issued: Draft[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === MAX_CODE_ATTEMPTS) throw new Error('could not find free ticket codes');
    const inserted = await repo.insertTicketsSkippingCodeClashes(
      tx,
      pending.map((t) => ({
        id: t.id,
        eventId: t.eventId,
        orderId: input.orderId,
        ticketTypeId: t.ticketTypeId,
        ticketTypeName: t.ticketTypeName,
        attendeeName: t.attendeeName,
        code: t.code,
        secret: t.secret,
        status: 'valid' as const,
        issuedAt: now,
      })),
    );
    issued.push(...pending.filter((t) => inserted.has(t.id)));
    // A clash on the event's code: draw again for just those tickets.
    pending = pending.filter((t) => !inserted.has(t.id)).map((t) => ({ ...t, code: drawCode(digits) }));
  }
  await repo.insertTicketAddOns(
    tx,
    issued.flatMap((t) => t.addOns.map((a) => ({ ticketId: t.id, addOnId: a.addOnId, name: a.name, quantity: a.quantity }))),
  );
  return issued;
}

export async function ticketsOfOrder(db: Executor, orderId: string): Promise<IssuedTicket[]> {
  const rows = await repo.ticketsOfOrder(db, orderId);
  const addOns = await repo.addOnsOfTickets(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    eventId: r.eventId,
    ticketTypeId: r.ticketTypeId,
    code: r.code,
    secret: r.secret,
    ticketTypeName: r.ticketTypeName,
    attendeeName: r.attendeeName,
    status: r.status,
    addOns: addOns.filter((a) => a.ticketId === r.id).map((a) => ({ addOnId: a.addOnId, name: a.name, quantity: a.quantity })),
  }));
}

/** What a customer's screen shows per ticket: the QR's text, the code, the entitlements. */
export function ticketViews(tickets: IssuedTicket[]): TicketView[] {
  return tickets.map((t) => ({
    id: t.id,
    code: t.code,
    qrText: t.secret,
    ticketTypeName: t.ticketTypeName,
    attendeeName: t.attendeeName,
    status: t.status,
    addOns: t.addOns.map((a) => ({ name: a.name, quantity: a.quantity })),
  }));
}

/** Voids each of `live` still valid, with a fresh secret so its old QR matches nothing; the ids this call voided. */
async function voidEach(tx: Tx, live: { id: string; eventId: string }[], now: Date): Promise<Set<string>> {
  const voided = new Set<string>();
  for (const t of live) {
    const key = await privateKeyOf(tx, t.eventId);
    if (await repo.voidIfValid(tx, t.id, signTicketSecret(t.id, t.eventId, key), now)) voided.add(t.id);
  }
  return voided;
}

/** Voids an order's valid tickets; how many this call voided. */
export async function voidTicketsOfOrder(tx: Tx, orderId: string, now: Date): Promise<number> {
  return (await voidEach(tx, await repo.validTicketIdsOfOrder(tx, orderId), now)).size;
}

/**
 * Voids those of `ticketIds` that are valid tickets of the order (a partial refund); returns the ones
 * this call voided — a twin call voids none, so nothing is given back twice.
 */
export async function voidTickets(tx: Tx, orderId: string, ticketIds: string[], now: Date): Promise<IssuedTicket[]> {
  const wanted = new Set(ticketIds);
  const live = (await ticketsOfOrder(tx, orderId)).filter((t) => t.status === 'valid' && wanted.has(t.id));
  const voided = await voidEach(tx, live, now);
  return live.filter((t) => voided.has(t.id)).map((t) => ({ ...t, status: 'void' as const }));
}

/** Renames a ticket's holder (the name the gate and the emails show). False when no such ticket of the order. */
export async function renameHolder(tx: Executor, orderId: string, ticketId: string, name: string): Promise<boolean> {
  return repo.setAttendeeName(tx, orderId, ticketId, name);
}

/** A new secret for a ticket (a leaked or forwarded QR): the old one stops working at once. */
export async function reissueTicket(tx: Tx, ticketId: string, eventId: string) {
  const key = await privateKeyOf(tx, eventId);
  const row = await repo.replaceSecret(tx, ticketId, { secret: signTicketSecret(ticketId, eventId, key) });
  return row ? { id: row.id, secret: row.secret } : null;
}

/** A page of the event's tickets (the organizer's attendee list): by code, or by holder-name prefix query. */
export async function searchTickets(db: Executor, s: Parameters<typeof repo.searchTickets>[1]) {
  const rows = await repo.searchTickets(db, s);
  return rows.map((r) => ({
    cursor: [r.cursorAt, r.row.id] as [string, string],
    ticket: { id: r.row.id, orderId: r.row.orderId, code: r.row.code, ticketTypeName: r.row.ticketTypeName, attendeeName: r.row.attendeeName, status: r.row.status },
  }));
}
