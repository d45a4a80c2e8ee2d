import type { Tx } from '../../shared/tx.ts';
import * as catalog from '../catalog/index.ts';
import * as notifications from '../notifications/index.ts';

/**
 * Customer messages about an order are queued through here, in the transaction that changes the order:
 * a load-test event's orders get none — no outbox row is written, so no worker or relay can ever send
 * one. (Load-test ticket types are free, so no payment, and no payment message, exists for them either.)
 */
export async function queueOrderMessage(tx: Tx, eventId: string, message: notifications.OutboxMessage, now: Date): Promise<void> {
  if (await sendsMessages(tx, eventId)) await notifications.enqueue(tx, message, now);
}

/** Whether messages for this event's orders are sent at all (a resend request for a load-test order is a no-op). */
export async function sendsMessages(tx: Tx, eventId: string): Promise<boolean> {
  return !(await catalog.isLoadTestEvent(tx, eventId));
}
