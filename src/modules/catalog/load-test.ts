import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { hashToken, newId, newToken } from '../../shared/ids.ts';
import type { Executor } from '../../shared/tx.ts';
import type { CreateLoadTestEventInput } from './dto.ts';
import * as repo from './repo.ts';

/*
 * The event `npm run loadtest -- --target <url>` measures a running install with (README, "Load tests
 * against a running install"). It is marked `load_test` at creation — never changed afterwards — and
 * that one flag keeps it out of the storefront, customer messages and business figures. Its key exempts
 * calls for this event, and only this event, from per-address and per-recipient limits, so one machine
 * can generate a crowd's load; every other call of the generator stays limited.
 */

/** Unmistakable in any list, log or export that still shows it. */
const NAME_PREFIX = 'LOAD TEST — not a real event';

export async function createLoadTestEvent(db: Db, input: CreateLoadTestEventInput, now: Date) {
  const loadTestKey = newToken();
  const eventId = newId();
  const ticketTypeIds = input.ticketTypes.map(() => newId());
  const startsAt = new Date(now.getTime() + 24 * 3600_000);
  await db.transaction(async (tx) => {
    await repo.insertEvent(tx, {
      id: eventId,
      name: `${NAME_PREFIX} (${input.label ?? now.toISOString()})`,
      venue: null,
      description: 'Created by npm run loadtest; removed when the run ends. Not listed, never messaged, not counted.',
      startsAt,
      currency: 'EUR',
      holdMinutes: 15,
      // Published so the normal ordering path accepts it; not listed because of load_test.
      published: true,
      maxTicketsPerOrder: 100,
      smsCountries: [],
      salesStartAt: now,
      salesEndAt: startsAt,
      loadTest: true,
      loadTestKeyHash: hashToken(loadTestKey),
    });
    for (const [i, t] of input.ticketTypes.entries()) {
      // Free only: a load test must never start a checkout with a real payment provider.
      await repo.insertTicketType(tx, { id: ticketTypeIds[i]!, eventId, name: t.name, priceCents: 0, capacity: t.capacity, hidden: false });
    }
  });
  return { eventId, ticketTypeIds, loadTestKey };
}

/**
 * Ends a load-test event: unpublished (no new orders, its page gone) and its key cleared. Refuses any
 * other event, so this procedure can never take down a real one.
 */
export async function retireLoadTestEvent(db: Executor, eventId: string) {
  const event = await repo.findEvent(db, eventId);
  if (!event) throw new AppError('NOT_FOUND', 'No such event', { eventId });
  if (!event.loadTest) throw new AppError('FORBIDDEN', 'This is not a load-test event: it cannot be removed this way', { eventId });
  await repo.retireLoadTest(db, eventId);
}

const MAX_REMEMBERED = 10_000;
const flags = new Map<string, boolean>();

/**
 * Whether an event was made for a load test (false for an unknown id). Remembered per process: the flag
 * is set at creation and never changes, so the hot paths that ask (each scan's metric, each paid order's
 * message) pay one lookup per event. Unknown ids are not remembered, so made-up ids can't fill the map.
 */
export async function isLoadTestEvent(db: Executor, eventId: string): Promise<boolean> {
  const known = flags.get(eventId);
  if (known !== undefined) return known;
  const event = await repo.findEvent(db, eventId);
  if (!event) return false;
  if (flags.size >= MAX_REMEMBERED) flags.clear();
  flags.set(eventId, event.loadTest);
  return event.loadTest;
}

/** Every load-test event's id (a handful at most), for leaving them out of figures. */
export const loadTestEventIds = (db: Executor): Promise<string[]> => repo.loadTestEventIds(db);

const KEY_CACHE_MS = 5_000;
const keyCache = new Map<string, { eventId: string; until: number }>();

/**
 * The live load-test event a key belongs to, or null. Known keys are remembered for 5 s, so the
 * generator's calls don't each pay a lookup; a removed event's key stops working within that time
 * (its event is unpublished at once anyway). Wrong keys are not remembered: nothing for them to fill.
 */
export async function loadTestEventForKey(db: Executor, key: string, nowMs = Date.now()): Promise<string | null> {
  if (key.length > 200) return null;
  const hash = hashToken(key);
  const cached = keyCache.get(hash);
  if (cached && cached.until > nowMs) return cached.eventId;
  keyCache.delete(hash);
  const eventId = await repo.eventOfLoadTestKey(db, hash);
  if (!eventId) return null;
  keyCache.set(hash, { eventId, until: nowMs + KEY_CACHE_MS });
  return eventId;
}
