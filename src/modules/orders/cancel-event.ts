import { isAppError } from '../../shared/errors.ts';
import * as catalog from '../catalog/index.ts';
import * as waitlist from '../waitlist/index.ts';
import { cancelPendingOrder } from './lifecycle.ts';
import { refundOrder } from './refunds.ts';
import * as repo from './repo.ts';
import type { OrdersDeps } from './service.ts';

/** Orders one call works through: a big event is cancelled over several calls (the page repeats until none remain). */
const BATCH = 100;

export type CancelEventResult = { refunded: number; cancelled: number; failed: number; remaining: number };

/**
 * Calls an event off: no more sales at once, its waiting lists closed, then every paid order refunded in full through its provider
 * (the customer is told through the outbox, as for any refund) and every pending one cancelled. Safe to
 * call again — a refunded order is not refunded twice — which is how a large event or a provider
 * outage is finished: `remaining` says how many orders are still open.
 */
export async function cancelEvent(deps: OrdersDeps, input: { eventId: string; reason?: string; actor: string }): Promise<CancelEventResult> {
  await catalog.markEventCancelled(deps.db, input.eventId, deps.clock());
  // Before the refunds free seats: nobody is offered tickets to an event that is off.
  await waitlist.closeWaitlistsOfEvent(deps.db, input.eventId, deps.clock());
  const reason = input.reason?.trim() || 'the event was cancelled';
  const { rows } = await repo.openOrdersOfEvent(deps.db, input.eventId, BATCH);
  const result = { refunded: 0, cancelled: 0, failed: 0 };
  for (const order of rows) {
    try {
      if (order.status === 'paid') {
        await refundOrder(deps, { orderId: order.id, reason, actor: input.actor });
        result.refunded++;
      } else if (await cancelPendingOrder(deps.db, order.id, input.actor, reason, deps.clock())) {
        result.cancelled++;
      }
    } catch (err) {
      // One provider refusal must not stop the others; the order stays open and the next call retries it.
      if (!isAppError(err) || err.code !== 'PAYMENT_UNAVAILABLE') throw err;
      result.failed++;
    }
  }
  return { ...result, remaining: (await repo.openOrdersOfEvent(deps.db, input.eventId, 0)).total };
}
