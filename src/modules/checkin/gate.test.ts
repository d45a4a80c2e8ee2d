import { useTestDatabase } from '../../testing/suite.ts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { sql } from 'drizzle-orm';
import { rowsOf } from './scan-repo.ts';
import { scan } from './service.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';
import { forgedQrOf } from '../../testing/ticket-qr.ts';

const suite = useTestDatabase();

async function oneTicket(d = suite.deps) {
  const event = await gateEvent(d.db, d.clock());
  const { tickets } = await buyTickets(d, {
    eventId: event.eventId,
    ticketTypeId: event.ticketTypeIds[0]!,
    name: 'Grace Hopper',
    addOns: [{ addOnId: event.addOnIds[0]!, quantity: 1 }],
  });
  const gate = await enrolDevice(d, event.eventId);
  return { eventId: event.eventId, ticket: tickets[0]!, gate };
}

describe('a device token is checked by the scan statement itself', () => {
  const failure = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code ?? String(e));
  const attempts = async (eventId: string) =>
    (await rowsOf<{ n: number }>(suite.deps.db, sql`SELECT count(*)::int AS n FROM checkins WHERE event_id = ${eventId}::uuid`))[0]!.n;

  it('refuses a revoked device or another event\'s device on every scan path, and logs nothing for them', async () => {
    const s = await oneTicket();
    const other = await oneTicket();
    const qr = s.ticket.secret;
    const forged = forgedQrOf(qr);
    const inputs = [{ qr }, { qr: forged }, { qr: 'not a ticket' }, { qr, direction: 'out' as const }, { code: s.ticket.code }];
    const before = await attempts(s.eventId);
    for (const input of inputs) {
      expect(await failure(other.gate.caller.checkin.scan({ eventId: s.eventId, ...input })), JSON.stringify(input)).toBe('FORBIDDEN');
    }
    const { user: admin } = await userCaller(suite.deps, 'admin');
    await callerFor(suite.deps, admin).admin.revokeDevice({ deviceId: s.gate.deviceId });
    for (const input of inputs) {
      expect(await failure(s.gate.caller.checkin.scan({ eventId: s.eventId, ...input })), JSON.stringify(input)).toBe('UNAUTHORIZED');
    }
    expect(await attempts(s.eventId)).toBe(before);
  });
});

describe('a forged QR never reaches the tickets table', () => {
  /*
   * Proof on the real database, no mocks: another session holds an ACCESS EXCLUSIVE lock on `tickets`,
   * so any statement that reads it waits. A forged QR is judged and logged while the lock is held; a
   * genuine QR, the control, is seen waiting for that very lock, and finishes once it is released.
   */
  it('judges a forged QR while the tickets table is locked; a genuine one waits for the lock', async () => {
    const { eventId, ticket, gate } = await oneTicket();
    const actor = { kind: 'device' as const, deviceId: gate.deviceId, eventId, name: 'Gate A', ip: '127.0.0.1' };
    const forged = forgedQrOf(ticket.secret);
    // Warm the per-process key cache as the first scan of the day would.
    expect((await scan(suite.deps, { eventId, qr: 'warm-up' }, actor)).result).toBe('invalid');
    await scan(suite.deps, { eventId, qr: forged }, actor);

    const locker = new pg.Client({ connectionString: suite.database.url });
    const watcher = new pg.Client({ connectionString: suite.database.url });
    await Promise.all([locker.connect(), watcher.connect()]);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE');
      expect(await scan(suite.deps, { eventId, qr: forged }, actor)).toEqual({ result: 'invalid', reason: 'Forged or damaged QR code' });

      const genuine = scan(suite.deps, { eventId, qr: ticket.secret }, actor);
      for (;;) {
        const { rows } = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
           WHERE c.relname = 'tickets' AND NOT l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await locker.query('ROLLBACK');
      expect((await genuine).result).toBe('ok');
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await Promise.all([locker.end(), watcher.end()]);
    }
  });
});

describe('checkin over HTTP', () => {
  it('takes the device token as a Bearer header; bad input is a 4xx, an unreadable QR a 200 invalid', async () => {
    const { eventId, ticket, gate } = await oneTicket();
    const app = await buildApp({ deps: suite.deps });
    try {
      const post = (body: unknown, token: string | null = gate.token) =>
        app.inject({
          method: 'POST',
          url: '/trpc/checkin.scan',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          payload: JSON.stringify(body),
        });
      const ok = await post({ eventId, qr: ticket.secret, nonce: 'n-0000001', scannedAt: '2030-01-01T09:59:59.500Z' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().result.data).toMatchObject({ result: 'ok', ticket: { attendeeName: 'Grace Hopper' } });
      expect(ok.body).not.toMatch(/@|secret|phone/i);
      const garbage = await post({ eventId, qr: '\u00ff<script>' });
      expect(garbage.statusCode).toBe(200);
      expect(garbage.json().result.data.result).toBe('invalid');
      // PostgreSQL text cannot hold NUL: every procedure refuses it up front (src/trpc/index.ts).
      expect((await post({ eventId, qr: '\u0000abc' })).statusCode).toBe(400);
      for (const bad of [{ eventId }, { eventId, code: 'abc' }, { eventId, qr: 1 }, { eventId, qr: 'x', nonce: 'short' }, 'not json', null]) {
        const res = await post(bad);
        expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      }
      expect((await post({ eventId, qr: ticket.secret }, null)).statusCode).toBe(401);
      expect((await post({ eventId, qr: ticket.secret }, 'wrong-token')).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('on embedded PGlite', () => {
  // Opening and migrating PGlite (WASM) is slow on a busy machine: do it in a hook, not the test.
  let lite: TestDatabase;
  beforeAll(async () => {
    lite = await createPgliteTestDatabase();
  });
  afterAll(() => lite?.drop());

  it('admits once, then already checked in; redeems, undoes, counts', async () => {
    const d = testDeps(lite.db);
    const { eventId, ticket, gate } = await oneTicket(d);
    expect((await gate.caller.checkin.scan({ eventId, qr: ticket.secret })).result).toBe('ok');
    expect((await gate.caller.checkin.scan({ eventId, code: ticket.code })).result).toBe('already_checked_in');
    const redeem = { ticketId: ticket.id, addOnId: ticket.addOns[0]!.addOnId };
    const redeemed = await gate.caller.checkin.redeemAddOn(redeem);
    expect(redeemed.left).toBe(0);
    expect(await gate.caller.checkin.redeemAddOn(redeem).catch((e: { cause?: { code?: string } }) => e.cause?.code)).toBe('NONE_LEFT');
    expect((await gate.caller.checkin.undoAddOnRedemption({ redemptionId: redeemed.redemptionId })).left).toBe(1);
    expect((await gate.caller.checkin.undo({ ticketId: ticket.id })).ticketId).toBe(ticket.id);
    expect(await gate.caller.checkin.stats({ eventId })).toMatchObject({ checkedIn: 0, total: 1 });
  });
});
