import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { userCaller } from '../../testing/app.ts';
import { rowsOf } from './scan-repo.ts';
import { MAX_SYNC_SCANS } from './dto.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';

const suite = useTestDatabase();

async function setup(quantity = 2) {
  const event = await gateEvent(suite.deps.db, suite.deps.clock());
  const bought: Awaited<ReturnType<typeof buyTickets>>['tickets'] = [];
  for (let left = quantity; left > 0; left -= 100) {
    bought.push(...(await buyTickets(suite.deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: Math.min(100, left) })).tickets);
  }
  const a = await enrolDevice(suite.deps, event.eventId, 'North gate');
  const b = await enrolDevice(suite.deps, event.eventId, 'South gate');
  return { ...event, tickets: bought, a, b };
}

/** A scan as the device queued it while offline: its nonce, the time it happened, what it showed. */
const offlineScan = (qr: string, minutesAgo: number, more: { direction?: 'in' | 'out'; admitted?: boolean } = {}) => ({
  nonce: randomUUID(),
  qr,
  scannedAt: new Date(suite.deps.clock().getTime() - minutesAgo * 60_000).toISOString(),
  direction: more.direction ?? ('in' as const),
  admitted: more.admitted ?? true,
});

const checkinsOf = (eventId: string) =>
  rowsOf<{ ticket_id: string; checked_in_at: Date; device_id: string }>(
    suite.deps.db,
    sql`SELECT ticket_id, checked_in_at, device_id FROM ticket_checkins WHERE event_id = ${eventId}::uuid`,
  );
const attemptCount = async (eventId: string) =>
  (await rowsOf<{ n: number }>(suite.deps.db, sql`SELECT count(*)::int AS n FROM checkins WHERE event_id = ${eventId}::uuid`))[0]!.n;

describe('checkin.sync', () => {
  it('admits uploaded offline scans at the device’s time; the same upload again answers the same and changes nothing', async () => {
    const s = await setup();
    const scans = [offlineScan(s.tickets[0]!.secret, 30), { ...offlineScan('', 29), qr: undefined, code: s.tickets[1]!.code }, offlineScan('forged', 28)];
    const first = await s.a.caller.checkin.sync({ eventId: s.eventId, scans });
    expect(first.map((r) => [r.nonce, r.result])).toEqual([
      [scans[0]!.nonce, 'ok'],
      [scans[1]!.nonce, 'ok'],
      [scans[2]!.nonce, 'invalid'],
    ]);
    const again = await s.a.caller.checkin.sync({ eventId: s.eventId, scans });
    expect(again).toEqual(first);
    const rows = await checkinsOf(s.eventId);
    expect(rows).toHaveLength(2);
    expect(new Date(rows.find((r) => r.ticket_id === s.tickets[0]!.id)!.checked_in_at).toISOString()).toBe(scans[0]!.scannedAt);
    expect(await attemptCount(s.eventId)).toBe(3);
    const [offline] = await rowsOf<{ n: number }>(suite.deps.db, sql`SELECT count(*)::int AS n FROM checkins WHERE event_id = ${s.eventId}::uuid AND offline`);
    expect(offline!.n).toBe(3);
  });

  it('two devices admitted one ticket while apart: the first check-in stays, the second is a conflict the organizer sees', async () => {
    const s = await setup();
    const t = s.tickets[0]!;
    const fromA = offlineScan(t.secret, 20);
    const fromB = offlineScan(t.secret, 10);
    expect(await s.a.caller.checkin.sync({ eventId: s.eventId, scans: [fromA] })).toEqual([{ nonce: fromA.nonce, result: 'ok' }]);
    const [answer] = await s.b.caller.checkin.sync({ eventId: s.eventId, scans: [fromB] });
    expect(answer).toEqual({ nonce: fromB.nonce, result: 'already_checked_in', conflict: { at: fromA.scannedAt, device: 'North gate' } });
    // Resent (the answer was lost): the same answer, still one conflict.
    expect((await s.b.caller.checkin.sync({ eventId: s.eventId, scans: [fromB] }))[0]).toEqual(answer);
    // A device that showed amber itself (admitted: false) is no conflict; neither is a plain repeat.
    await s.b.caller.checkin.sync({ eventId: s.eventId, scans: [offlineScan(t.secret, 5, { admitted: false })] });

    const { caller: admin } = await userCaller(suite.deps, 'admin');
    const conflicts = await admin.admin.listCheckinConflicts({ eventId: s.eventId });
    expect(conflicts).toEqual([
      {
        id: expect.any(String),
        ticket: { id: t.id, code: t.code, attendeeName: 'Ada Lovelace' },
        device: 'South gate',
        scannedAt: fromB.scannedAt,
        holder: { device: 'North gate', at: fromA.scannedAt },
        recordedAt: suite.deps.clock().toISOString(),
      },
    ]);
    expect(await checkinsOf(s.eventId)).toHaveLength(1);
    const { caller: staff } = await userCaller(suite.deps, 'staff');
    await expect(staff.admin.listCheckinConflicts({ eventId: s.eventId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s.a.caller.admin.listCheckinConflicts({ eventId: s.eventId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('1,000 queued scans upload once each, also when a batch’s answer is lost and the device sends it again', async () => {
    const s = await setup(1000);
    const queue = s.tickets.map((t, i) => offlineScan(t.secret, 60 - i * 0.01));
    const batches = [queue.slice(0, MAX_SYNC_SCANS), queue.slice(MAX_SYNC_SCANS)];
    // The first batch reaches the server but its answer never comes back: the device resends it.
    await s.a.caller.checkin.sync({ eventId: s.eventId, scans: batches[0]! });
    const answers = [];
    for (const batch of batches) answers.push(...(await s.a.caller.checkin.sync({ eventId: s.eventId, scans: batch })));
    expect(answers.map((r) => r.nonce)).toEqual(queue.map((q) => q.nonce));
    expect(new Set(answers.map((r) => r.result))).toEqual(new Set(['ok']));
    const rows = await checkinsOf(s.eventId);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(1000);
    expect(await attemptCount(s.eventId)).toBe(1000);
    const stats = await s.a.caller.checkin.stats({ eventId: s.eventId });
    expect(stats).toMatchObject({ checkedIn: 1000, inside: 1000, exits: 0, total: 1000 });
  }, 120_000);

  it('two devices upload the same 100 offline admissions at once: one check-in and one conflict per ticket', async () => {
    const s = await setup(100);
    const queueOf = (minutesAgo: number) => s.tickets.map((t) => offlineScan(t.secret, minutesAgo));
    const [fromA, fromB] = await Promise.all([
      s.a.caller.checkin.sync({ eventId: s.eventId, scans: queueOf(20) }),
      s.b.caller.checkin.sync({ eventId: s.eventId, scans: queueOf(10) }),
    ]);
    for (let i = 0; i < 100; i++) {
      expect([fromA[i]!.result, fromB[i]!.result].sort(), `ticket ${i}`).toEqual(['already_checked_in', 'ok']);
      expect(Boolean(fromA[i]!.conflict) !== Boolean(fromB[i]!.conflict), `ticket ${i}`).toBe(true);
    }
    expect(await checkinsOf(s.eventId)).toHaveLength(100);
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    const conflicts = await admin.admin.listCheckinConflicts({ eventId: s.eventId });
    expect(new Set(conflicts.map((c) => c.ticket!.id)).size).toBe(100);
  }, 60_000);

  it('bounds every input: a 4xx with field errors, never a 500, and nothing written', async () => {
    const s = await setup(1);
    const t = s.tickets[0]!;
    const app = await buildApp({ deps: suite.deps });
    onTestFinished(() => app.close());
    const refused = async (scans: unknown[], field: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/trpc/checkin.sync',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.a.token}` },
        payload: JSON.stringify({ eventId: s.eventId, scans }),
      });
      expect(res.statusCode, field).toBe(400);
      expect(Object.keys(res.json().error.data.fieldErrors ?? {}), field).toContain(field);
    };
    await refused(Array.from({ length: MAX_SYNC_SCANS + 1 }, () => offlineScan(t.secret, 1)), 'scans');
    await refused([], 'scans');
    await refused([{ ...offlineScan(t.secret, 1), scannedAt: new Date(suite.deps.clock().getTime() + 25 * 3600_000).toISOString() }], 'scans.0.scannedAt');
    await refused([offlineScan(t.secret, 1), offlineScan(t.secret, 8 * 24 * 60)], 'scans.1.scannedAt');
    await refused([{ ...offlineScan(t.secret, 1), scannedAt: 'yesterday' }], 'scans.0.scannedAt');
    await refused([{ ...offlineScan(t.secret, 1), nonce: 'x'.repeat(101) }], 'scans.0.nonce');
    await refused([{ ...offlineScan(t.secret, 1), nonce: undefined }], 'scans.0.nonce');
    await refused([{ ...offlineScan('x'.repeat(2001), 1) }], 'scans.0.qr');
    await refused([{ ...offlineScan(t.secret, 1), code: '123456' }], 'scans.0.qr');
    await refused([{ ...offlineScan(t.secret, 1), direction: 'sideways' }], 'scans.0.direction');
    await refused([{ ...offlineScan(randomBytes(40).toString('hex'), 1), nonce: 'a\u0000bcdefgh' }], 'scans.0.nonce');
    expect(await attemptCount(s.eventId)).toBe(0);
  });
});

describe('exit scans and re-entry', () => {
  it('without re-entry: out marks the person outside, in again stays amber; stats count inside and exits', async () => {
    const s = await setup(2);
    const [t, u] = s.tickets as [(typeof s.tickets)[0], (typeof s.tickets)[0]];
    const gate = s.a.caller.checkin;
    expect((await gate.scan({ eventId: s.eventId, qr: u.secret, direction: 'out' })).result).toBe('not_inside');
    expect((await gate.scan({ eventId: s.eventId, qr: t.secret })).result).toBe('ok');
    const out = await gate.scan({ eventId: s.eventId, qr: t.secret, direction: 'out' });
    expect(out).toMatchObject({ result: 'ok', exitedAt: suite.deps.clock().toISOString(), ticket: { id: t.id } });
    expect((await gate.scan({ eventId: s.eventId, code: t.code, direction: 'out' })).result).toBe('not_inside');
    expect(await gate.stats({ eventId: s.eventId })).toMatchObject({ checkedIn: 1, inside: 0, exits: 1, total: 2 });
    expect((await gate.scan({ eventId: s.eventId, qr: t.secret })).result).toBe('already_checked_in');
    expect(await gate.stats({ eventId: s.eventId })).toMatchObject({ checkedIn: 1, inside: 0, exits: 1 });
  });

  it('with re-entry on: out and in again, live and uploaded, each move counted once', async () => {
    const s = await setup(1);
    const t = s.tickets[0]!;
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    expect(await admin.admin.setGateSettings({ eventId: s.eventId, allowReentry: true, admitUnknownOffline: false })).toEqual({
      allowReentry: true,
      admitUnknownOffline: false,
    });
    const moves = [offlineScan(t.secret, 30), offlineScan(t.secret, 20, { direction: 'out' }), offlineScan(t.secret, 10)];
    const answers = await s.a.caller.checkin.sync({ eventId: s.eventId, scans: moves });
    expect(answers.map((r) => r.result)).toEqual(['ok', 'ok', 'ok']);
    expect(await s.a.caller.checkin.sync({ eventId: s.eventId, scans: moves })).toEqual(answers);
    // Two devices let the same person back in at once: one wins.
    await s.a.caller.checkin.scan({ eventId: s.eventId, qr: t.secret, direction: 'out' });
    const both = await Promise.all([s.a, s.b].map((d) => d.caller.checkin.scan({ eventId: s.eventId, qr: t.secret })));
    expect(both.map((r) => r.result).sort()).toEqual(['already_checked_in', 'ok']);
    expect(await s.a.caller.checkin.stats({ eventId: s.eventId })).toMatchObject({ checkedIn: 1, inside: 1, exits: 2 });
    expect((await s.a.caller.checkin.snapshot({ eventId: s.eventId })).settings.allowReentry).toBe(true);
  });
});
