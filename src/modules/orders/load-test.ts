import type { Db } from '../../db/client.ts';
import * as catalog from '../catalog/index.ts';
import * as checkin from '../checkin/index.ts';
import { cancelPendingOrderIn, closePaidOrderIn } from './lifecycle.ts';
import * as repo from './repo.ts';

/*
 * The admin side of `npm run loadtest -- --target` (README, "Load tests against a running install"):
 * the generator makes its event here, fills it through the normal public API, and removes it here.
 * Orders are never deleted: removal cancels them (tickets void, capacity back) with who and why, and
 * load-test orders send no messages (notices.ts), so nobody hears of it.
 */

/** Orders voided per call: one removal request stays short however many orders a run made. */
const VOID_BATCH = 200;

export const createLoadTestEvent = (db: Db, input: catalog.CreateLoadTestEventInput, now: Date) => catalog.createLoadTestEvent(db, input, now);

/**
 * Removes a load-test event (refusing any other): closed for sale with its key cleared, its devices
 * revoked, and up to VOID_BATCH of its orders cancelled per call; `ordersLeft` > 0 asks to call again.
 */
export async function removeLoadTestEvent(db: Db, eventId: string, actor: string, now: Date) {
  await catalog.retireLoadTestEvent(db, eventId);
  const devicesRevoked = await checkin.revokeDevicesOfEvent(db, eventId, now);
  const reason = 'load test finished';
  for (const { id: orderId } of (await repo.openOrdersOfEvent(db, eventId, VOID_BATCH)).rows) {
    await db.transaction(async (tx) => {
      const order = { orderId, actor, reason };
      if (!(await closePaidOrderIn(tx, { ...order, paymentId: null, as: 'refunded' }, now))) await cancelPendingOrderIn(tx, order, now);
    });
  }
  const ordersLeft = (await repo.openOrdersOfEvent(db, eventId, 0)).total;
  return { eventId, devicesRevoked, ordersLeft };
}

/** Orders by status for /metrics: load-test events' orders are not business. */
export async function countOrdersByStatus(db: Db) {
  return repo.countByStatus(db, await catalog.loadTestEventIds(db));
}
