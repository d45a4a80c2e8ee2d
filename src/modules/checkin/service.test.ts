import { useTestDatabase } from '../../testing/suite.ts';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { callerFor, userCaller } from '../../testing/app.ts';
import * as tickets from '../tickets/index.ts';
import { rowsOf } from './scan-repo.ts';
import { deviceCallerFor, enrolDevice, gateWithAddOns } from '../../testing/gate.ts';
import { forgedQrOf, makeLegacyTicket } from '../../testing/ticket-qr.ts';

const suite = useTestDatabase();

/** The tRPC error code a call fails with, or 'resolved'. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? String(e),
  );

const attemptsOf = (ticketId: string) =>
  rowsOf<{ result: string; device_id: string | null; nonce: string | null; reason: string | null }>(
    suite.deps.db,
    sql`SELECT result, device_id, nonce, reason FROM checkins WHERE ticket_id = ${ticketId}::uuid ORDER BY recorded_at`,
  );
const attemptCount = async (eventId: string) =>
  (await rowsOf<{ n: number }>(suite.deps.db, sql`SELECT count(*)::int AS n FROM checkins WHERE event_id = ${eventId}::uuid`))[0]!.n;

async function setup() {
  const { device, ...rest } = await gateWithAddOns(suite.deps, { quantity: 2, deviceName: 'North gate' });
  return { ...rest, gate: device };
}

describe('checkin.scan by QR', () => {
  it('admits a ticket once, then says who admitted it and when; every attempt is a row', async () => {
    const s = await setup();
    const t = s.tickets[0]!;
    const first = await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, scannedAt: '2030-01-01T09:59:58Z' });
    expect(first).toMatchObject({
      result: 'ok',
      checkedInAt: suite.deps.clock().toISOString(),
      ticket: { id: t.id, code: t.code, ticketTypeName: 'Standard', attendeeName: 'Ada Lovelace' },
    });
    expect(first.ticket!.addOns.map((a) => [a.name, a.quantity, a.left])).toEqual([
      ['Dinner voucher', 1, 1],
      ['Drink token', 2, 2],
    ]);
    expect(JSON.stringify(first)).not.toContain('@');
    suite.deps.clock.advance(60_000);
    const other = await enrolDevice(suite.deps, s.eventId, 'South gate');
    const second = await other.caller.checkin.scan({ eventId: s.eventId, qr: t.secret });
    expect(second).toMatchObject({ result: 'already_checked_in', previous: { at: first.checkedInAt, device: 'North gate' } });
    expect((await attemptsOf(t.id)).map((a) => [a.result, a.device_id])).toEqual([
      ['ok', s.gate.deviceId],
      ['already_checked_in', other.deviceId],
    ]);
  });

  it('answers a retried nonce with the original verdict and records nothing new', async () => {
    const s = await setup();
    const t = s.tickets[0]!;
    const nonce = randomUUID();
    const first = await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, nonce });
    suite.deps.clock.advance(5_000);
    const retry = await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, nonce });
    expect(first.result).toBe('ok');
    expect(retry).toEqual(first);
    expect(await attemptsOf(t.id)).toHaveLength(1);
    // A new nonce is a new scan.
    expect((await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, nonce: randomUUID() })).result).toBe('already_checked_in');
    // Even after an undo, the retried request still reads as the check-in it was.
    await s.gate.caller.checkin.undo({ ticketId: t.id });
    expect(await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, nonce })).toEqual(first);
    expect(await attemptsOf(t.id)).toHaveLength(2);
    // The same request sent many times at once (retries overtaking a slow original): one verdict, one row.
    const other = s.tickets[1]!;
    const burstNonce = randomUUID();
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => s.gate.caller.checkin.scan({ eventId: s.eventId, qr: other.secret, nonce: burstNonce })),
    );
    expect(new Set(burst.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify(burst[0])]));
    expect(burst[0]!.result).toBe('ok');
    expect(await attemptsOf(other.id)).toHaveLength(1);
    // A refused scan retried is refused once too.
    const bad = { eventId: s.eventId, qr: 'garbage', nonce: randomUUID() };
    const before = await attemptCount(s.eventId);
    await s.gate.caller.checkin.scan(bad);
    await s.gate.caller.checkin.scan(bad);
    expect(await attemptCount(s.eventId)).toBe(before + 1);
  });

  it('refuses forged, altered and malformed QR codes as invalid, never with an error', async () => {
    const s = await setup();
    const t = s.tickets[0]!;
    const forged = forgedQrOf(t.secret);
    // One digit changed: in the ticket id, the event id, the signature.
    const flip = (str: string, i: number) => str.slice(0, i) + (str[i] === '1' ? '2' : '1') + str.slice(i + 1);
    expect(tickets.parseTicketSecret(forged)).toMatchObject({ ticketId: t.id, eventId: s.eventId });
    for (const qr of [forged, flip(t.secret, 10), flip(t.secret, 60), flip(t.secret, 200), 'hello', '', '%%%', 'x'.repeat(2000), '2' + '9'.repeat(248)]) {
      const r = await s.gate.caller.checkin.scan({ eventId: s.eventId, qr });
      expect(r.result, qr).toBe('invalid');
      expect(r.ticket).toBeUndefined();
    }
    expect(await failure(s.gate.caller.checkin.scan({ eventId: s.eventId, qr: 'x'.repeat(2001) }))).toBe('BAD_REQUEST');
    expect(await failure(s.gate.caller.checkin.scan({ eventId: s.eventId }))).toBe('BAD_REQUEST');
    expect(await failure(s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, code: t.code }))).toBe('BAD_REQUEST');
    expect(await failure(s.gate.caller.checkin.scan({ eventId: 'nope', qr: t.secret }))).toBe('BAD_REQUEST');
    // Nothing of that admitted the ticket.
    expect((await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret })).result).toBe('ok');
  });

  it('admits tickets of both QR layouts, compact and legacy (issued before it), and refuses a forged one of each', async () => {
    const s = await setup();
    const [compact, old] = s.tickets as [tickets.IssuedTicket, tickets.IssuedTicket];
    expect(compact.secret).toMatch(/^2[0-9]{248}$/);
    const legacy = await makeLegacyTicket(suite.deps.db, old.secret);
    expect(legacy).toMatch(/^[A-Za-z0-9_-]{138}$/);
    const scan = (qr: string, eventId = s.eventId) => s.gate.caller.checkin.scan({ eventId, qr });
    for (const qr of [forgedQrOf(compact.secret), forgedQrOf(legacy)]) {
      expect(await scan(qr)).toEqual({ result: 'invalid', reason: 'Forged or damaged QR code' });
    }
    // The ticket made legacy no longer answers to the compact secret it was issued with.
    expect(await scan(old.secret)).toMatchObject({ result: 'invalid', reason: 'Outdated QR: the ticket was re-issued' });
    expect(await scan(compact.secret)).toMatchObject({ result: 'ok', ticket: { id: compact.id } });
    expect(await scan(legacy)).toMatchObject({ result: 'ok', ticket: { id: old.id } });
    expect(await scan(legacy)).toMatchObject({ result: 'already_checked_in' });
    const elsewhere = await setup();
    expect(await elsewhere.gate.caller.checkin.scan({ eventId: elsewhere.eventId, qr: legacy })).toMatchObject({ result: 'wrong_event' });
  });

  it('says wrong_event for a genuine ticket of another event, and refuses a device outside its event', async () => {
    const a = await setup();
    const b = await setup();
    expect(await b.gate.caller.checkin.scan({ eventId: b.eventId, qr: a.tickets[0]!.secret })).toMatchObject({ result: 'wrong_event' });
    expect(await failure(b.gate.caller.checkin.scan({ eventId: a.eventId, qr: a.tickets[0]!.secret }))).toBe('FORBIDDEN');
    expect((await a.gate.caller.checkin.scan({ eventId: a.eventId, qr: a.tickets[0]!.secret })).result).toBe('ok');
  });

  it('rejects a cancelled/refunded ticket (old and new QR, and its code) and the old QR of a re-issued one', async () => {
    const s = await setup();
    const [t1, t2] = s.tickets as [tickets.IssuedTicket, tickets.IssuedTicket];
    await suite.deps.db.transaction((tx) => tickets.voidTicketsOfOrder(tx, s.orderId, suite.deps.clock()));
    const voided = await tickets.ticketsOfOrder(suite.deps.db, s.orderId);
    expect(await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t1.secret })).toMatchObject({ result: 'cancelled' });
    expect(await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: voided[0]!.secret })).toMatchObject({ result: 'cancelled' });
    expect(await s.gate.caller.checkin.scan({ eventId: s.eventId, code: t2.code })).toMatchObject({ result: 'cancelled' });

    const r = await setup();
    const old = r.tickets[0]!;
    const fresh = await suite.deps.db.transaction((tx) => tickets.reissueTicket(tx, old.id, r.eventId));
    expect(await r.gate.caller.checkin.scan({ eventId: r.eventId, qr: old.secret })).toMatchObject({
      result: 'invalid',
      reason: 'Outdated QR: the ticket was re-issued',
    });
    expect((await r.gate.caller.checkin.scan({ eventId: r.eventId, qr: fresh!.secret })).result).toBe('ok');
    expect((await attemptsOf(old.id)).map((a) => a.result)).toEqual(['invalid', 'ok']);
  });
});

describe('checkin.scan by 6-digit code', () => {
  it('admits by code in the event only', async () => {
    const s = await setup();
    const other = await setup();
    expect(await s.gate.caller.checkin.scan({ eventId: s.eventId, code: s.tickets[1]!.code })).toMatchObject({
      result: 'ok',
      ticket: { id: s.tickets[1]!.id },
    });
    expect(await s.gate.caller.checkin.scan({ eventId: s.eventId, code: s.tickets[1]!.code })).toMatchObject({ result: 'already_checked_in' });
    // The same code in another event names nothing here (unless it happens to collide: then another ticket).
    const r = await s.gate.caller.checkin.scan({ eventId: s.eventId, code: other.tickets[0]!.code });
    if (r.result !== 'invalid') expect(r.ticket!.id).not.toBe(other.tickets[0]!.id);
    expect(await failure(s.gate.caller.checkin.scan({ eventId: s.eventId, code: '12a456' }))).toBe('BAD_REQUEST');
  });

  it('cools a device off after too many unknown codes; hits do not count; the cooling-off ends', async () => {
    const s = await setup();
    const max = suite.deps.config.checkinCodeMaxMisses;
    const unknown = async (caller: typeof s.gate.caller) => {
      for (;;) {
        const code = String(100000 + Math.floor(Math.random() * 900000));
        if (!s.tickets.some((t) => t.code === code)) return caller.checkin.scan({ eventId: s.eventId, code });
      }
    };
    const gate = await enrolDevice(suite.deps, s.eventId, 'Keypad', '10.0.0.1');
    for (let i = 0; i < max - 1; i++) expect((await unknown(gate.caller)).result).toBe('invalid');
    // A hit in between is given back.
    expect((await gate.caller.checkin.scan({ eventId: s.eventId, code: s.tickets[0]!.code })).result).toBe('ok');
    expect((await unknown(gate.caller)).result).toBe('invalid');
    expect(await failure(unknown(gate.caller))).toBe('TOO_MANY_REQUESTS');
    // Even a right code waits out the cooling-off, and another device on another IP is not affected.
    expect(await failure(gate.caller.checkin.scan({ eventId: s.eventId, code: s.tickets[1]!.code }))).toBe('TOO_MANY_REQUESTS');
    const elsewhere = await enrolDevice(suite.deps, s.eventId, 'Other', '10.0.0.2');
    expect((await unknown(elsewhere.caller)).result).toBe('invalid');
    suite.deps.clock.advance(suite.deps.config.checkinCodeCooldownSeconds * 1000 - 1000);
    expect(await failure(unknown(gate.caller))).toBe('TOO_MANY_REQUESTS');
    suite.deps.clock.advance(1000);
    expect((await gate.caller.checkin.scan({ eventId: s.eventId, code: s.tickets[1]!.code })).result).toBe('ok');
  });

  it('refuses a burst of parallel guesses from one device beyond its limit (counted before the lookup)', async () => {
    const s = await setup();
    const max = suite.deps.config.checkinCodeMaxMisses;
    const gate = await enrolDevice(suite.deps, s.eventId, 'Burst', '10.7.7.7');
    const outcomes = await Promise.all(
      Array.from({ length: max + 8 }, (_, i) =>
        gate.caller.checkin.scan({ eventId: s.eventId, code: String(800000 + i) }).then(
          (r) => r.result,
          (e: { code: string }) => e.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'invalid')).toHaveLength(max);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(8);
  });

  it('counts misses per IP across devices, and refuses a burst of parallel guesses beyond the limit', async () => {
    const s = await setup();
    const perIp = suite.deps.config.checkinCodeMaxMissesPerIp;
    // Six devices behind one address, each below its own limit: only the address's limit can bite.
    const perDevice = Math.ceil((perIp + 6) / 6);
    expect(perDevice).toBeLessThanOrEqual(suite.deps.config.checkinCodeMaxMisses);
    const devices = await Promise.all(Array.from({ length: 6 }, (_, i) => enrolDevice(suite.deps, s.eventId, `D${i}`, '10.9.9.9')));
    const guesses = devices.flatMap((d, i) =>
      Array.from({ length: perDevice }, (_, j) =>
        d.caller.checkin.scan({ eventId: s.eventId, code: String(900000 + i * 100 + j) }).then(
          (r) => r.result,
          (e: { code: string }) => e.code,
        ),
      ),
    );
    const outcomes = await Promise.all(guesses);
    expect(outcomes.filter((o) => o === 'invalid')).toHaveLength(perIp);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(outcomes.length - perIp);
  });
});

describe('who may scan', () => {
  it('refuses no auth, a made-up token and a revoked device at once; staff and admins may scan', async () => {
    const s = await setup();
    const scan = { eventId: s.eventId, qr: s.tickets[0]!.secret };
    expect(await failure(callerFor(suite.deps).checkin.scan(scan))).toBe('UNAUTHORIZED');
    expect(await failure(callerFor(suite.deps).checkin.stats({ eventId: s.eventId }))).toBe('UNAUTHORIZED');
    expect(await failure(deviceCallerFor(suite.deps, 'made-up').checkin.scan(scan))).toBe('UNAUTHORIZED');
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    const { caller: staff } = await userCaller(suite.deps, 'staff');
    expect((await s.gate.caller.checkin.stats({ eventId: s.eventId })).total).toBe(2);
    await admin.admin.revokeDevice({ deviceId: s.gate.deviceId });
    expect(await failure(s.gate.caller.checkin.scan(scan))).toBe('UNAUTHORIZED');
    expect(await failure(s.gate.caller.checkin.stats({ eventId: s.eventId }))).toBe('UNAUTHORIZED');
    expect((await staff.checkin.scan(scan)).result).toBe('ok');
    expect((await admin.checkin.scan(scan)).result).toBe('already_checked_in');
    // Device management is for admins only.
    expect(await failure(staff.admin.createDevice({ eventId: s.eventId, name: 'x' }))).toBe('FORBIDDEN');
    expect(await failure(s.gate.caller.admin.createDevice({ eventId: s.eventId, name: 'x' }))).toBe('UNAUTHORIZED');
    expect(await failure(admin.admin.createDevice({ eventId: randomUUID(), name: 'x' }))).toBe('NOT_FOUND');
    expect((await admin.admin.listDevices({ eventId: s.eventId })).map((d) => [d.name, d.revokedAt !== null])).toEqual([
      ['North gate', true],
    ]);
  });
});

// Add-on units: add-ons.test.ts.
describe('undo, stats', () => {
  it('undoes a check-in with who and when; a re-scan after undo admits again; stats follow', async () => {
    const s = await setup();
    const t = s.tickets[0]!;
    const { caller: staff, user } = await userCaller(suite.deps, 'staff');
    expect(await s.gate.caller.checkin.stats({ eventId: s.eventId })).toMatchObject({ checkedIn: 0, total: 2 });
    const ok = await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret });
    expect(await staff.checkin.stats({ eventId: s.eventId })).toEqual({
      checkedIn: 1,
      inside: 1,
      exits: 0,
      total: 2,
      byTicketType: [{ ticketTypeId: s.ticketTypeIds[0], name: 'Standard', checkedIn: 1, inside: 1, exits: 0, total: 2 }],
    });
    suite.deps.clock.advance(30_000);
    const undone = await staff.checkin.undo({ ticketId: t.id });
    expect(undone).toEqual({ ticketId: t.id, checkedInAt: ok.checkedInAt, undoneAt: suite.deps.clock().toISOString() });
    const [record] = await rowsOf<{ user_id: string; device_id: string | null; undone_at: Date }>(
      suite.deps.db,
      sql`SELECT user_id, device_id, undone_at FROM checkin_undos WHERE ticket_id = ${t.id}::uuid`,
    );
    expect(record).toMatchObject({ user_id: user.id, device_id: null });
    expect((await s.gate.caller.checkin.stats({ eventId: s.eventId })).checkedIn).toBe(0);
    expect(await failure(staff.checkin.undo({ ticketId: t.id }))).toBe('CONFLICT');
    expect((await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: t.secret })).result).toBe('ok');
    // A device may only undo in its own event.
    const other = await setup();
    expect(await failure(other.gate.caller.checkin.undo({ ticketId: t.id }))).toBe('CONFLICT');
    expect((await s.gate.caller.checkin.undo({ ticketId: t.id })).ticketId).toBe(t.id);
  });
});
