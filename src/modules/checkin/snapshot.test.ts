import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testConfig } from '../../config.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { buildApp } from '../../server/app.ts';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { voidTicketsOfOrder } from '../tickets/index.ts';
import { revokeDevice } from './devices.ts';
import { rowsOf } from './scan-repo.ts';
import { SNAPSHOT_PAGE_SIZE } from './offline.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';
import { makeLegacyTicket } from '../../testing/ticket-qr.ts';
import { saltOfSecret } from '../../shared/ticket-qr.ts';

const suite = useTestDatabase();

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string; cause?: { code?: string } }) => [e.code, e.cause?.code].filter(Boolean).join(' '),
  );

async function setup(quantity = 3) {
  const event = await gateEvent(suite.deps.db, suite.deps.clock());
  const bought = await buyTickets(suite.deps, {
    eventId: event.eventId,
    ticketTypeId: event.ticketTypeIds[0]!,
    quantity,
    addOns: [{ addOnId: event.addOnIds[0]!, quantity: 1 }],
  });
  const gate = await enrolDevice(suite.deps, event.eventId, 'North gate');
  return { ...event, tickets: bought.tickets, orderId: bought.orderId, gate };
}

type Caller = Awaited<ReturnType<typeof setup>>['gate']['caller'];

/**
 * A cursor after which nothing is pending. The cursor is the cluster's oldest running transaction, so a
 * transaction open elsewhere on this shared server (another test file) makes deltas re-send rows for a
 * while — an overlap by design, never a gap. Waiting for an empty delta keeps "nothing else" exact.
 */
async function quietCursor(caller: Caller, eventId: string, cursor: string) {
  for (let i = 0; i < 100; i++) {
    const delta = await caller.checkin.snapshot({ eventId, cursor });
    if (delta.tickets.length === 0) return delta.cursor;
    cursor = delta.cursor;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('deltas never went quiet');
}

describe('checkin.snapshot', () => {
  it('gives an enrolled device every ticket of its event, with what the gate needs and no contact data', async () => {
    const s = await setup();
    const legacy = await makeLegacyTicket(suite.deps.db, s.tickets[1]!.secret);
    const snap = await s.gate.caller.checkin.snapshot({ eventId: s.eventId });
    expect(snap).toMatchObject({ full: true, more: false, settings: { allowReentry: false, admitUnknownOffline: false } });
    expect(snap.keys).toEqual([{ alg: 'Ed25519', spki: expect.stringMatching(/^[A-Za-z0-9+/=]+$/) }]);
    expect(snap.tickets.map((t) => t.id).sort()).toEqual(s.tickets.map((t) => t.id).sort());
    const t = s.tickets[0]!;
    expect(snap.tickets.find((x) => x.id === t.id)).toEqual({
      id: t.id,
      code: t.code,
      status: 'valid',
      attendeeName: 'Ada Lovelace',
      ticketTypeName: 'Standard',
      salt: t.secret.slice(79, 94),
      addOns: [{ id: s.addOnIds[0], name: 'Dinner voucher', quantity: 1, left: 1 }],
      checkedInAt: null,
      exitedAt: null,
    });
    // The salt as the scanner page reads it from a scanned QR, in either layout.
    expect(snap.tickets.find((x) => x.id === t.id)!.salt).toBe(saltOfSecret(t.secret));
    expect(snap.tickets.find((x) => x.id === s.tickets[1]!.id)!.salt).toBe(legacy.slice(44, 52));
    expect(saltOfSecret(legacy)).toBe(legacy.slice(44, 52));
    const text = JSON.stringify(snap);
    expect(text).not.toContain('@');
    for (const x of [...s.tickets.map((x) => x.secret), legacy]) expect(text).not.toContain(x);
  });

  it('a delta holds exactly what changed after the cursor: check-in, exit, undo, void, a new sale', async () => {
    const s = await setup();
    const [a, b, c] = s.tickets as [(typeof s.tickets)[0], (typeof s.tickets)[0], (typeof s.tickets)[0]];
    let cursor = await quietCursor(s.gate.caller, s.eventId, (await s.gate.caller.checkin.snapshot({ eventId: s.eventId })).cursor);
    const changedSince = async () => {
      const delta = await s.gate.caller.checkin.snapshot({ eventId: s.eventId, cursor });
      expect(delta.full).toBe(false);
      cursor = await quietCursor(s.gate.caller, s.eventId, delta.cursor);
      return delta.tickets;
    };

    await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: a.secret });
    const afterScan = await changedSince();
    expect(afterScan.map((t) => t.id)).toEqual([a.id]);
    expect(afterScan[0]!.checkedInAt).toBe(suite.deps.clock().toISOString());

    await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: a.secret, direction: 'out' });
    expect((await changedSince()).map((t) => [t.id, t.exitedAt !== null])).toEqual([[a.id, true]]);

    await s.gate.caller.checkin.undo({ ticketId: a.id });
    expect((await changedSince()).map((t) => [t.id, t.checkedInAt])).toEqual([[a.id, null]]);

    await suite.deps.db.transaction((tx) => voidTicketsOfOrder(tx, s.orderId, suite.deps.clock()));
    const voided = await changedSince();
    expect(voided.map((t) => [t.id, t.status]).sort()).toEqual([a, b, c].map((t) => [t.id, 'void']).sort());
    expect(voided.find((t) => t.id === b.id)!.salt).not.toBe(saltOfSecret(b.secret));

    const sold = await buyTickets(suite.deps, { eventId: s.eventId, ticketTypeId: s.ticketTypeIds[0]! });
    expect((await changedSince()).map((t) => t.id)).toEqual([sold.tickets[0]!.id]);
    expect(await changedSince()).toEqual([]);
  });

  it('a transaction that commits after a read is not skipped, whatever order its writes took', async () => {
    const s = await setup(2);
    const [a, b] = s.tickets as [(typeof s.tickets)[0], (typeof s.tickets)[0]];
    const cursor = await quietCursor(s.gate.caller, s.eventId, (await s.gate.caller.checkin.snapshot({ eventId: s.eventId })).cursor);
    // A slow transaction writes ticket a first (lower transaction id) and commits last.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const slow = suite.deps.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE tickets SET attendee_name = 'Slow writer' WHERE id = ${a.id}::uuid`);
      wrote();
      await held;
    });
    await written;
    await s.gate.caller.checkin.scan({ eventId: s.eventId, qr: b.secret });
    const first = await s.gate.caller.checkin.snapshot({ eventId: s.eventId, cursor });
    expect(first.tickets.map((t) => t.id)).toEqual([b.id]);
    release();
    await slow;
    const next = await s.gate.caller.checkin.snapshot({ eventId: s.eventId, cursor: first.cursor });
    expect(next.tickets.find((t) => t.id === a.id)?.attendeeName).toBe('Slow writer');
  });

  it('pages a big event: every ticket once, in pages of at most SNAPSHOT_PAGE_SIZE', async () => {
    const s = await setup(1);
    // Seeding beyond one page through the order service would take long; copies of the ticket row do.
    await suite.deps.db.execute(sql`INSERT INTO tickets (id, event_id, order_id, ticket_type_id, ticket_type_name, attendee_name, code, secret, status)
      SELECT gen_random_uuid(), event_id, order_id, ticket_type_id, ticket_type_name, 'Copy ' || g, lpad(g::text, 7, '0'), secret || g, status
      FROM tickets, generate_series(1, ${SNAPSHOT_PAGE_SIZE + 10}) AS g WHERE id = ${s.tickets[0]!.id}::uuid`);
    const seen: string[] = [];
    let page = await s.gate.caller.checkin.snapshot({ eventId: s.eventId });
    seen.push(...page.tickets.map((t) => t.id));
    expect(page.tickets).toHaveLength(SNAPSHOT_PAGE_SIZE);
    while (page.more) {
      page = await s.gate.caller.checkin.snapshot({ eventId: s.eventId, after: seen[seen.length - 1] });
      seen.push(...page.tickets.map((t) => t.id));
    }
    expect(seen).toHaveLength(SNAPSHOT_PAGE_SIZE + 11);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('checkin.snapshot and checkin.sync: who may call them', () => {
  it('refuses anonymous callers, staff logins, another event’s device, and a revoked device (told to wipe)', async () => {
    const s = await setup(1);
    const other = await setup(1);
    const scan = { nonce: 'nonce-0001', code: s.tickets[0]!.code, scannedAt: suite.deps.clock().toISOString(), direction: 'in' as const };
    const staff = (await userCaller(suite.deps, 'staff')).caller;
    const admin = (await userCaller(suite.deps, 'admin')).caller;
    const callers = [[callerFor(suite.deps), 'UNAUTHORIZED'], [staff, 'FORBIDDEN'], [admin, 'FORBIDDEN']] as const;
    for (const [caller, expected] of callers) {
      expect((await failure(caller.checkin.snapshot({ eventId: s.eventId }))).split(' ')[0]).toBe(expected);
      expect((await failure(caller.checkin.sync({ eventId: s.eventId, scans: [scan] }))).split(' ')[0]).toBe(expected);
    }
    expect(await failure(other.gate.caller.checkin.snapshot({ eventId: s.eventId }))).toBe('FORBIDDEN FORBIDDEN');
    expect(await failure(other.gate.caller.checkin.sync({ eventId: s.eventId, scans: [scan] }))).toBe('FORBIDDEN FORBIDDEN');
    await revokeDevice(suite.deps.db, s.gate.deviceId, suite.deps.clock());
    expect(await failure(s.gate.caller.checkin.snapshot({ eventId: s.eventId }))).toBe('UNAUTHORIZED DEVICE_REVOKED');
    expect(await failure(s.gate.caller.checkin.sync({ eventId: s.eventId, scans: [scan] }))).toBe('UNAUTHORIZED DEVICE_REVOKED');
    const [attempts] = await rowsOf<{ n: number }>(suite.deps.db, sql`SELECT count(*)::int AS n FROM checkins WHERE event_id = ${s.eventId}::uuid`);
    expect(attempts!.n).toBe(0);
  });

  it('limits snapshot and upload calls per device, not per address: the venue’s other phones go on', async () => {
    const s = await setup(1);
    const other = await enrolDevice(suite.deps, s.eventId, 'South gate');
    const off = testConfig().limits;
    const deps = testDeps(suite.database.db, {
      config: {
        limits: { ...off, gateSnapshotsPerMinute: 3, gateUploadsPerMinute: 2 },
        notifications: { ...testConfig().notifications, queuePrefix: `gate${Math.random().toString(36).slice(2, 8)}` },
      },
    });
    const app = await buildApp({ deps });
    onTestFinished(() => app.close());
    const call = (token: string, procedure: 'snapshot' | 'sync') =>
      procedure === 'snapshot'
        ? app.inject({
            method: 'GET',
            url: `/trpc/checkin.snapshot?input=${encodeURIComponent(JSON.stringify({ eventId: s.eventId }))}`,
            headers: { authorization: `Bearer ${token}` },
          })
        : app.inject({
            method: 'POST',
            url: '/trpc/checkin.sync',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload: JSON.stringify({ eventId: s.eventId, scans: [{ nonce: `n-${Math.random()}`.replace('.', ''), code: s.tickets[0]!.code, scannedAt: deps.clock().toISOString(), direction: 'in' }] }),
          });
    const statuses = async (token: string, procedure: 'snapshot' | 'sync', n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await call(token, procedure)).statusCode);
      return out;
    };
    expect(await statuses(s.gate.token, 'snapshot', 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses(s.gate.token, 'sync', 3)).toEqual([200, 200, 429]);
    expect((await call(s.gate.token, 'snapshot')).json().error.data.appCode).toBe('RATE_LIMITED');
    // Same address, another phone: unaffected.
    expect(await statuses(other.token, 'snapshot', 1)).toEqual([200]);
    expect(await statuses(other.token, 'sync', 1)).toEqual([200]);
  });

  it('over HTTP: the token travels as Authorization: Bearer; a revoked one gets 401 DEVICE_REVOKED', async () => {
    const s = await setup(1);
    const app = await buildApp({ deps: suite.deps });
    try {
      const get = (token: string) =>
        app.inject({
          method: 'GET',
          url: `/trpc/checkin.snapshot?input=${encodeURIComponent(JSON.stringify({ eventId: s.eventId }))}`,
          headers: { authorization: `Bearer ${token}` },
        });
      const ok = await get(s.gate.token);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().result.data.tickets).toHaveLength(1);
      await revokeDevice(suite.deps.db, s.gate.deviceId, suite.deps.clock());
      const refused = await get(s.gate.token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.data.appCode).toBe('DEVICE_REVOKED');
      expect(refused.body).not.toContain('Ada');
    } finally {
      await app.close();
    }
  });
});
