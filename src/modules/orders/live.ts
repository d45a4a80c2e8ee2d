import { setTimeout } from 'node:timers/promises';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import type { LiveFeed } from '../../shared/live-feed.ts';
import * as catalog from '../catalog/index.ts';
import * as checkin from '../checkin/index.ts';
import type { LiveStats } from './dto.ts';
import * as repo from './repo.ts';

/** Everything the live control room shows for one event, as of `now`. */
export async function liveStats(db: Db, eventId: string, now: Date): Promise<LiveStats> {
  const [event, sales, gate] = await Promise.all([catalog.getEventInfo(db, eventId), repo.salesByTicketType(db, eventId), checkin.gateLive(db, eventId, now)]);
  const sold = new Map(sales.map((s) => [s.ticketTypeId, s]));
  return {
    eventId,
    name: event.name,
    currency: event.currency,
    timeZone: event.timeZone,
    at: now.toISOString(),
    byTicketType: gate.byTicketType.map((t) => ({ ...t, sold: Number(sold.get(t.ticketTypeId)?.sold ?? 0), revenueCents: Number(sold.get(t.ticketTypeId)?.revenueCents ?? 0) })),
    revenueCents: sales.reduce((n, s) => n + Number(s.revenueCents), 0),
    checkedIn: gate.checkedIn,
    inside: gate.inside,
    exits: gate.exits,
    total: gate.total,
    gates: gate.gates,
    scans: gate.scans,
    arrivals: gate.arrivals,
    arrivalBucketMinutes: gate.arrivalBucketMinutes,
    queueClearsInMinutes: gate.queueClearsInMinutes,
  };
}

// Several changes in quick succession (a busy gate) are read once; and a quiet page still refreshes its
// per-minute rates now and then. Without a feed (tests of one process) it reads every 2 s instead.
const SETTLE_MS = 300;
const QUIET_REFRESH_MS = 15_000;
const NO_FEED_REFRESH_MS = 2_000;

/** Live pages one account may hold open per process: each is a connection and a read per change. */
export const MAX_LIVE_PAGES_PER_USER = 5;
const openPages = new Map<string, number>();

/** Counts a live page of `userId` open; RATE_LIMITED beyond MAX_LIVE_PAGES_PER_USER. Returns its release. */
export function admitLivePage(userId: string): () => void {
  const open = openPages.get(userId) ?? 0;
  if (open >= MAX_LIVE_PAGES_PER_USER) {
    throw new AppError('RATE_LIMITED', `At most ${MAX_LIVE_PAGES_PER_USER} live pages at once per account; close one`, { retryAfterSeconds: 5 });
  }
  openPages.set(userId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openPages.get(userId) ?? 1) - 1;
    if (left > 0) openPages.set(userId, left);
    else openPages.delete(userId);
  };
}

/**
 * The numbers now, then again after changes of the event on any server process (LISTEN/NOTIFY): at most
 * one read per SETTLE_MS however many changes arrive — changes during the pause or the read only mark
 * the page stale, and it is read once more. Ends when the client goes away (`signal`).
 */
export async function* watchLiveStats(deps: { db: Db; clock: () => Date; live?: LiveFeed }, eventId: string, signal: AbortSignal | undefined) {
  let stale = false;
  let wake: (() => void) | undefined;
  const markStale = () => {
    stale = true;
    wake?.();
  };
  const unsubscribe = deps.live?.subscribe(eventId, markStale);
  const tick = setInterval(markStale, deps.live ? QUIET_REFRESH_MS : NO_FEED_REFRESH_MS);
  signal?.addEventListener('abort', () => wake?.(), { once: true });
  const changed = () => new Promise<void>((resolve) => (stale || signal?.aborted ? resolve() : (wake = resolve)));
  try {
    yield await liveStats(deps.db, eventId, deps.clock());
    while (!signal?.aborted) {
      await changed();
      if (signal?.aborted) break;
      await setTimeout(SETTLE_MS);
      stale = false;
      yield await liveStats(deps.db, eventId, deps.clock());
    }
  } finally {
    clearInterval(tick);
    unsubscribe?.();
  }
}
