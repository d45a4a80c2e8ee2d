import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPgliteTestDatabase } from '../../testing/db.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { userCaller } from '../../testing/app.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';

/* The one-box install (embedded PGlite) is the documented on-site gate server: the offline gate runs on it too. */
const suite = useTestDatabase(createPgliteTestDatabase);

describe('offline gate on PGlite', () => {
  it('snapshot and delta, uploads with exit and re-entry, a conflict, stats', async () => {
    const event = await gateEvent(suite.deps.db, suite.deps.clock());
    const { tickets } = await buyTickets(suite.deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 2 });
    const [t, u] = tickets as [(typeof tickets)[0], (typeof tickets)[0]];
    const a = await enrolDevice(suite.deps, event.eventId, 'North gate');
    const b = await enrolDevice(suite.deps, event.eventId, 'South gate');
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    await admin.admin.setGateSettings({ eventId: event.eventId, allowReentry: true, admitUnknownOffline: false });

    const full = await a.caller.checkin.snapshot({ eventId: event.eventId });
    expect(full.tickets).toHaveLength(2);
    expect(full.settings.allowReentry).toBe(true);
    // PGlite is one session: no other transaction can hold the cursor back, so the delta is exact at once.
    expect((await a.caller.checkin.snapshot({ eventId: event.eventId, cursor: full.cursor })).tickets).toEqual([]);

    const at = (min: number) => new Date(suite.deps.clock().getTime() - min * 60_000).toISOString();
    const scan = (qr: string, min: number, direction: 'in' | 'out' = 'in') => ({ nonce: randomUUID(), qr, scannedAt: at(min), direction, admitted: true });
    const moves = [scan(t.secret, 30), scan(t.secret, 20, 'out'), scan(t.secret, 10), scan(u.secret, 9)];
    const answers = await a.caller.checkin.sync({ eventId: event.eventId, scans: moves });
    expect(answers.map((r) => r.result)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await a.caller.checkin.sync({ eventId: event.eventId, scans: moves })).toEqual(answers);
    const [clash] = await b.caller.checkin.sync({ eventId: event.eventId, scans: [scan(u.secret, 8)] });
    expect(clash).toMatchObject({ result: 'already_checked_in', conflict: { device: 'North gate', at: at(9) } });
    expect(await admin.admin.listCheckinConflicts({ eventId: event.eventId })).toHaveLength(1);

    const delta = await a.caller.checkin.snapshot({ eventId: event.eventId, cursor: full.cursor });
    expect(delta.tickets.map((x) => x.id).sort()).toEqual([t.id, u.id].sort());
    expect(await a.caller.checkin.stats({ eventId: event.eventId })).toMatchObject({ checkedIn: 2, inside: 2, exits: 1, total: 2 });
  });
});
