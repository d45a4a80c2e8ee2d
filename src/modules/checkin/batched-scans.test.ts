import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchStatsOf } from '../../db/statement-batches.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testDeps } from '../../testing/app.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';
import { rowsOf } from './scan-repo.ts';

/*
 * A busy gate's scans share statements (db/statement-batches.ts). Sharing must change nothing a scanner
 * sees: every ticket is admitted exactly once whichever statement its scans land in, every attempt is
 * logged once, a forged QR in the middle of a batch spoils nothing for the rest, and a resent nonce
 * answers its original verdict. All at once, through one process, as a gate's devices send them.
 */
let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db);
});
afterAll(() => database?.drop());

describe('scans sent at once share statements', () => {
  it('two devices scan 60 tickets at once, with forged QRs and typed codes between: one admission per ticket, every attempt logged once', async () => {
    const event = await gateEvent(deps.db, deps.clock());
    const { tickets } = await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 60 });
    const [a, b] = [await enrolDevice(deps, event.eventId, 'Gate A'), await enrolDevice(deps, event.eventId, 'Gate B')];
    const forged = (qr: string) => qr.slice(0, -2) + (qr.endsWith('AA') ? 'BB' : 'AA');
    const before = batchStatsOf(deps.db);

    const sent = [
      ...tickets.map((t) => ({ by: a, ticketId: t.id, input: { eventId: event.eventId, qr: t.secret, nonce: randomUUID() } })),
      // The first ten typed at the other gate (the code path), the rest scanned there too.
      ...tickets.map((t, i) => ({ by: b, ticketId: t.id, input: { eventId: event.eventId, ...(i < 10 ? { code: t.code } : { qr: t.secret }), nonce: randomUUID() } })),
      ...tickets.slice(0, 5).map((t) => ({ by: a, ticketId: null, input: { eventId: event.eventId, qr: forged(t.secret), nonce: randomUUID() } })),
    ];
    const answers = await Promise.all(sent.map((s) => s.by.caller.checkin.scan(s.input)));

    for (const t of tickets) {
      const mine = answers.filter((_, i) => sent[i]!.ticketId === t.id);
      expect(mine.map((r) => r.result).sort()).toEqual(['already_checked_in', 'ok']);
      const admitted = mine.find((r) => r.result === 'ok')!;
      const refused = mine.find((r) => r.result === 'already_checked_in')!;
      expect(refused.ticket?.id).toBe(t.id);
      expect(refused.previous?.at).toBe(admitted.checkedInAt);
    }
    expect(answers.filter((_, i) => sent[i]!.ticketId === null).map((r) => r.result)).toEqual(Array(5).fill('invalid'));

    const after = batchStatsOf(deps.db);
    expect(after.inputs - before.inputs).toBeGreaterThanOrEqual(sent.length);
    // 125 scans, a few statements running at a time (MAX_IN_FLIGHT): most scans shared one.
    expect(after.statements - before.statements).toBeLessThan(sent.length / 4);

    const [logged] = await rowsOf<{ attempts: number; nonces: number; ok: number; holders: number }>(
      deps.db,
      sql`SELECT count(*)::int AS attempts, count(DISTINCT nonce)::int AS nonces, count(*) FILTER (WHERE result = 'ok')::int AS ok,
                 (SELECT count(*)::int FROM ticket_checkins WHERE event_id = ${event.eventId}::uuid) AS holders
          FROM checkins WHERE event_id = ${event.eventId}::uuid`,
    );
    expect(logged).toEqual({ attempts: sent.length, nonces: sent.length, ok: 60, holders: 60 });

    // Every scan sent again at once, same nonce: the original verdict, nothing written.
    const again = await Promise.all(sent.map((s) => s.by.caller.checkin.scan(s.input)));
    expect(again.map((r) => r.result)).toEqual(answers.map((r) => r.result));
    const [count] = await rowsOf<{ n: number }>(deps.db, sql`SELECT count(*)::int AS n FROM checkins WHERE event_id = ${event.eventId}::uuid`);
    expect(count!.n).toBe(sent.length);
  });

  it('exit scans at once: each holder goes out once, the second exit scan finds the ticket outside', async () => {
    const event = await gateEvent(deps.db, deps.clock());
    const { tickets } = await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 30 });
    const [a, b] = [await enrolDevice(deps, event.eventId, 'In'), await enrolDevice(deps, event.eventId, 'Out')];
    await Promise.all(tickets.map((t) => a.caller.checkin.scan({ eventId: event.eventId, qr: t.secret })));
    const exits = await Promise.all(
      [a, b].flatMap((device) => tickets.map((t) => device.caller.checkin.scan({ eventId: event.eventId, qr: t.secret, direction: 'out' }))),
    );
    for (const t of tickets) {
      const mine = exits.filter((r) => r.ticket?.id === t.id).map((r) => r.result);
      expect(mine.sort()).toEqual(['not_inside', 'ok']);
    }
    const [row] = await rowsOf<{ out: number; exits: number }>(
      deps.db,
      sql`SELECT count(*) FILTER (WHERE exited_at IS NOT NULL)::int AS out, sum(exits)::int AS exits FROM ticket_checkins WHERE event_id = ${event.eventId}::uuid`,
    );
    expect(row).toEqual({ out: 30, exits: 30 });
  });
});
