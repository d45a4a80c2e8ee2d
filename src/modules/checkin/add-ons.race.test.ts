import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../testing/app.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';
import { useServerPair } from '../../testing/server-pair.ts';
import { rowsOf } from './scan-repo.ts';

/*
 * Each add-on unit goes once is a cluster claim: two devices, each talking to its own server process,
 * redeem the last unit of a ticket's add-on at the same moment; one PostgreSQL database behind both.
 */
const cluster = useServerPair();

type Reply = { status: number; appCode?: string; data?: { redemptionId: string; left: number } };

async function call(base: string, token: string, procedure: string, input: unknown): Promise<Reply> {
  const res = await fetch(`${base}/trpc/checkin.${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: Reply['data'] }; error?: { data: { appCode?: string } } };
  return { status: res.status, appCode: body.error?.data.appCode, data: body.result?.data };
}

const tally = (replies: Reply[]) => replies.map((r) => (r.status === 200 ? '200' : `${r.status} ${r.appCode}`)).sort();

describe('add-on units raced over two server processes', { timeout: 300_000 }, () => {
  it('two devices redeem the last of 2 units at once: one gets it, one hears NONE_LEFT; an undo gives it back, once', async () => {
    const deps = testDeps(cluster.database.db);
    const event = await gateEvent(deps.db, deps.clock());
    const drink = event.addOnIds[1]!;
    // Many tickets raced at once: each race is a chance for a second unit to slip through.
    const { tickets } = await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 15, addOns: [{ addOnId: drink, quantity: 2 }] });
    const [north, south] = await Promise.all([enrolDevice(deps, event.eventId, 'Bar north'), enrolDevice(deps, event.eventId, 'Bar south')]);
    const [a, b] = cluster.urls as [string, string];
    const redeem = (base: string, token: string, ticketId: string) => call(base, token, 'redeemAddOn', { ticketId, addOnId: drink, nonce: randomUUID() });
    const raceLastUnits = () =>
      Promise.all(tickets.map((t) => Promise.all([redeem(a, north!.token, t.id), redeem(b, south!.token, t.id)])));

    // First units, one each, then the race for the last.
    expect((await Promise.all(tickets.map((t) => redeem(a, north!.token, t.id)))).map((r) => r.data?.left)).toEqual(tickets.map(() => 1));
    const raced = await raceLastUnits();
    for (const pair of raced) expect(tally(pair)).toEqual(['200', '409 NONE_LEFT']);
    expect(raced.flat().filter((r) => r.status === 200).map((r) => r.data!.left)).toEqual(tickets.map(() => 0));

    // Both devices undo the winning redemption at once: the unit comes back once, and is raced for again.
    const winners = raced.map((pair) => pair.find((r) => r.status === 200)!.data!.redemptionId);
    const undos = await Promise.all(
      winners.map((redemptionId) =>
        Promise.all([call(a, north!.token, 'undoAddOnRedemption', { redemptionId }), call(b, south!.token, 'undoAddOnRedemption', { redemptionId })]),
      ),
    );
    for (const pair of undos) expect(pair.map((r) => [r.status, r.data?.left])).toEqual([[200, 1], [200, 1]]);
    for (const pair of await raceLastUnits()) expect(tally(pair)).toEqual(['200', '409 NONE_LEFT']);

    // The books: 2 live redemptions per ticket, 1 undone, and the usage row agrees.
    const books = await rowsOf<{ live: number; undone: number; usage: number }>(
      deps.db,
      sql`SELECT count(*) FILTER (WHERE r.undone_at IS NULL)::int AS live, count(*) FILTER (WHERE r.undone_at IS NOT NULL)::int AS undone,
                 (SELECT redeemed FROM add_on_usage u WHERE u.ticket_id = r.ticket_id AND u.add_on_id = r.add_on_id) AS usage
          FROM add_on_redemptions r WHERE r.event_id = ${event.eventId}::uuid GROUP BY r.ticket_id, r.add_on_id`,
    );
    expect(books).toEqual(tickets.map(() => ({ live: 2, undone: 1, usage: 2 })));
  });
});
