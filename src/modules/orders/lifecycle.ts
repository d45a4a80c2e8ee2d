import type { Db } from '../../db/client.ts';
import type { Tx } from '../../shared/tx.ts';
import * as catalog from '../catalog/index.ts';
import * as notifications from '../notifications/index.ts';
import * as payments from '../payments/index.ts';
import * as tickets from '../tickets/index.ts';
import * as repo from './repo.ts';

/*
 * Status changes after creation. Each runs in one transaction that first row-locks the order, so a
 * payment confirmation, a cancel and the expiry sweeper can race on one order and exactly one wins.
 */

export type ConfirmResult = 'paid' | 'already_paid' | 'capacity_gone' | 'not_payable';

/** Sells the holds, issues the tickets and queues their delivery. False if the capacity is gone. */
async function fulfil(tx: Tx, order: repo.OrderRow, actor: string, now: Date): Promise<boolean> {
  const held = await catalog.commitHolds(tx, order.id, now);
  if (!held.ok) return false;
  const lines = await repo.linesOf(tx, order.id);
  await tickets.issueTickets(
    tx,
    {
      orderId: order.id,
      eventId: order.eventId,
      attendeeName: order.customerName,
      lines: lines.map((l) => ({
        ticketTypeId: l.ticketTypeId,
        ticketTypeName: l.ticketTypeName,
        quantity: l.quantity,
        addOns: l.addOns.map((a) => ({ addOnId: a.addOnId, name: a.name, quantity: a.quantity })),
      })),
    },
    now,
  );
  await repo.changeStatus(tx, { orderId: order.id, from: order.status, to: 'paid', actor, at: now });
  await notifications.enqueue(tx, { type: 'order.paid', payload: { orderId: order.id } }, now);
  return true;
}

/** A free order is paid in the transaction that creates it. */
export const fulfilFreeOrder = (tx: Tx, order: repo.OrderRow, now: Date) => fulfil(tx, order, 'customer', now);

/**
 * The provider says the money arrived. Pays the order — also after its hold expired, as long as the
 * capacity is still there (never by overselling). Idempotent: a second confirmation is `already_paid`.
 */
export async function confirmPayment(
  db: Db,
  input: { orderId: string; paymentId: string; actor: string },
  now: Date,
): Promise<ConfirmResult> {
  return db.transaction(async (tx) => {
    const order = await repo.findOrder(tx, input.orderId, { lock: true });
    if (!order || order.status === 'cancelled') return 'not_payable';
    if (order.status === 'paid') return 'already_paid';
    if (!(await fulfil(tx, order, input.actor, now))) {
      if (order.status === 'pending') await expireLocked(tx, order, now);
      return 'capacity_gone';
    }
    await payments.settlePayment(tx, input.paymentId, 'confirmed', now);
    return 'paid';
  });
}

async function expireLocked(tx: Tx, order: repo.OrderRow, now: Date) {
  await catalog.releaseHolds(tx, order.id, now, 'expired');
  await repo.changeStatus(tx, { orderId: order.id, from: 'pending', to: 'expired', actor: 'system', reason: 'hold expired', at: now });
}

/** Expires the order if it is still pending past its hold; true if this call expired it. */
export async function expireIfOverdue(db: Db, orderId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const order = await repo.findOrder(tx, orderId, { lock: true });
    if (!order || order.status !== 'pending' || order.expiresAt > now) return false;
    await expireLocked(tx, order, now);
    return true;
  });
}

/** The sweeper's pass: expires up to `limit` overdue pending orders, oldest first. */
export async function expireOverdueOrders(db: Db, now: Date, limit = 200): Promise<number> {
  let expired = 0;
  for (const id of await repo.overduePendingIds(db, now, limit)) {
    if (await expireIfOverdue(db, id, now)) expired++;
  }
  return expired;
}

/** A pending order given up (checkout cancelled): capacity back at once, payment cancelled. */
export async function cancelPendingOrder(db: Db, orderId: string, actor: string, reason: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const order = await repo.findOrder(tx, orderId, { lock: true });
    if (!order || order.status !== 'pending') return false;
    await catalog.releaseHolds(tx, order.id, now);
    await repo.changeStatus(tx, { orderId, from: 'pending', to: 'cancelled', actor, reason, at: now });
    const payment = await payments.latestPaymentOf(tx, orderId);
    if (payment) await payments.settlePayment(tx, payment.id, 'cancelled', now);
    return true;
  });
}
