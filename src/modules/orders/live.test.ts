import { describe, expect, it } from 'vitest';
import { callerFor, userCaller } from '../../testing/app.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { buyTickets, enrolDevice } from '../../testing/gate.ts';
import { liveFeedHub } from '../../shared/live-feed.ts';
import { MAX_LIVE_PAGES_PER_USER, watchLiveStats } from './live.ts';

/* admin.liveStats: the numbers, who may watch, and how many pages one account may hold open. */

const suite = useTestDatabase();

async function firstOf<T>(iterable: AsyncIterable<T>): Promise<T> {
  for await (const item of iterable) return item;
  throw new Error('the subscription ended without data');
}

describe('admin.liveStats', () => {
  it('counts sales, check-ins, duplicates and gates; requires an admin or viewer session; at most 5 pages per account', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ name: 'Standard', priceCents: 0, capacity: 10 }] });
    const { tickets } = await buyTickets(suite.deps, { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 3 });
    const { caller: gate } = await enrolDevice(suite.deps, eventId, 'East gate');
    await gate.checkin.scan({ eventId, code: tickets[0]!.code });
    await gate.checkin.scan({ eventId, code: tickets[0]!.code });
    await gate.checkin.scan({ eventId, code: '000000' }).catch(() => undefined);

    const { caller: viewer } = await userCaller(suite.deps, 'viewer');
    const stats = await firstOf(await viewer.admin.liveStats({ eventId }));
    expect(stats).toMatchObject({ total: 3, checkedIn: 1, inside: 1, revenueCents: 0, scans: { ok: 1, duplicates: 1 } });
    expect(stats.byTicketType).toEqual([expect.objectContaining({ name: 'Standard', sold: 3, checkedIn: 1, total: 3 })]);
    expect(stats.gates).toEqual([expect.objectContaining({ name: 'East gate' })]);
    expect(stats.arrivals.reduce((n, a) => n + a.count, 0)).toBe(1);

    await expect(callerFor(suite.deps).admin.liveStats({ eventId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const { caller: staff } = await userCaller(suite.deps, 'staff');
    await expect(staff.admin.liveStats({ eventId })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // Each open page counts until it closes; the sixth is refused before its stream opens.
    const pages = [];
    for (let i = 0; i < MAX_LIVE_PAGES_PER_USER; i++) {
      const page = (await viewer.admin.liveStats({ eventId }))[Symbol.asyncIterator]();
      await page.next();
      pages.push(page);
    }
    await expect(viewer.admin.liveStats({ eventId })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await pages[0]!.return!(undefined);
    const another = (await viewer.admin.liveStats({ eventId }))[Symbol.asyncIterator]();
    await another.next();
    await Promise.all([another, ...pages.slice(1)].map((p) => p.return!(undefined)));
  });

  it('a burst of 200 changes is read a few times, not 200: changes during the pause or the read only mark the page stale', async () => {
    const { eventId } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ name: 'Standard', capacity: 10 }] });
    const hub = liveFeedHub();
    const stop = new AbortController();
    let reads = 0;
    const watching = (async () => {
      for await (const _ of watchLiveStats({ ...suite.deps, live: hub.feed }, eventId, stop.signal)) reads++;
    })();
    const until = async (done: () => boolean) => {
      for (const deadline = Date.now() + 10_000; !done() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => reads >= 1);
    for (let i = 0; i < 200; i++) hub.publish(eventId);
    // The burst's read comes (however slow the box), then nothing more: a read per change would go on
    // reading, one every pause, for 200 pauses.
    await until(() => reads >= 2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop.abort();
    await watching;
    // The first read, the burst's read, and at most one more for changes that came during that read.
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(reads).toBeLessThanOrEqual(3);
  });
});
