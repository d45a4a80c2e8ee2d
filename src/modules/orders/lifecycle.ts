import type { Db } from '../../db/client.ts';
import type { Tx } from '../../shared/tx.ts';
import * as catalog from '../catalog/index.ts';
import * as payments from '../payments/index.ts';
import * as tickets from '../tickets/index.ts';
import * as vouchers from '../vouchers/index.ts';
import * as waitlist from '../waitlist/index.ts';
import { queueOrderMessage } from './notices.ts';
import * as repo from './repo.ts';

/*
 * Status changes after creation. Each runs in one transaction that first row-locks the order, so a
 * payment confirmation, a cancel and the expiry sweeper can race on one order and exactly one wins.
 */

export type ConfirmResult = 'paid' | 'already_paid' | 'capacity_gone' | 'not_payable';

/** Sells the holds, issues the tickets and queues their delivery. False if the capacity is gone. */
async function fulfil(tx: Tx, order: repo.OrderRow, actor: string, now: Date, reason?: string): Promise<boolean> {
  const held = await catalog.commitHolds(tx, order.id, now);
  if (!held.ok) return false;
  // A late payment after its uses went back (only a closed order's were): only if the voucher still has them.
  if (order.status !== 'pending' && !(await vouchers.retakeVoucherUse(tx, order.id, now))) {
    await catalog.releaseHolds(tx, order.id, now, 'expired');
    return false;
  }
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
        attendeeNames: l.attendeeNames,
      })),
    },
    now,
  );
  await repo.changeStatus(tx, { orderId: order.id, from: order.status, to: 'paid', actor, reason, at: now });
  await queueOrderMessage(tx, order.eventId, { type: 'order.paid', payload: { orderId: order.id } }, now);
  return true;
}

/** A free order is paid in the transaction that creates it. */
export const fulfilFreeOrder = (tx: Tx, order: repo.OrderRow, now: Date) => fulfil(tx, order, 'customer', now);

/**
 * The provider says the money arrived. Pays the order — also after its hold expired, as long as the
 * capacity is still there (never by overselling). Idempotent: a second confirmation is `already_paid`.
 */
export function confirmPayment(db: Db, input: ConfirmInput, now: Date): Promise<ConfirmResult> {
  return db.transaction((tx) => confirmPaymentIn(tx, input, now));
}

type ConfirmInput = { orderId: string; paymentId: string; actor: string };

/** confirmPayment inside the caller's transaction (a webhook records its event id in the same one). */
export async function confirmPaymentIn(tx: Tx, input: ConfirmInput, now: Date): Promise<ConfirmResult> {
  const order = await repo.findOrder(tx, input.orderId, { lock: true });
  if (!order || order.status === 'cancelled') return 'not_payable';
  if (order.status === 'paid') return 'already_paid';
  if (!(await fulfil(tx, order, input.actor, now))) {
    if (order.status === 'pending') await expireLocked(tx, order, now);
    return 'capacity_gone';
  }
  await payments.settlePayment(tx, input.paymentId, 'confirmed', now);
  return 'paid';
}

/**
 * An order's seats and voucher uses go back (ticket types, then the voucher: the one lock order), and
 * seats people wait for are offered to them in the same transaction, before anyone else can buy them.
 */
async function releaseOrder(tx: Tx, orderId: string, now: Date, as?: 'expired') {
  await catalog.releaseHolds(tx, orderId, now, as);
  await vouchers.returnVoucherUse(tx, orderId, now);
  const lines = await repo.linesOf(tx, orderId);
  await waitlist.offerFreedSeats(tx, lines.map((l) => l.ticketTypeId), now);
}

async function expireLocked(tx: Tx, order: repo.OrderRow, now: Date) {
  await releaseOrder(tx, order.id, now, 'expired');
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
export function cancelPendingOrder(db: Db, orderId: string, actor: string, reason: string, now: Date): Promise<boolean> {
  return db.transaction((tx) => cancelPendingOrderIn(tx, { orderId, actor, reason }, now));
}

export async function cancelPendingOrderIn(tx: Tx, input: { orderId: string; actor: string; reason: string }, now: Date) {
  const order = await repo.findOrder(tx, input.orderId, { lock: true });
  if (!order || order.status !== 'pending') return false;
  await releaseOrder(tx, order.id, now);
  await repo.changeStatus(tx, { orderId: order.id, from: 'pending', to: 'cancelled', actor: input.actor, reason: input.reason, at: now });
  const payment = await payments.latestPaymentOf(tx, order.id);
  if (payment) await payments.settlePayment(tx, payment.id, 'cancelled', now);
  return true;
}

/**
 * A paid order whose money went back (a refund, or a dispute that takes it back): cancelled with who
 * and why, tickets void (new secrets, so their QR and code fail at the gate), capacity returned, the
 * customer told. False, changing nothing, if the order is not paid (already closed by a twin event).
 */
export async function closePaidOrderIn(
  tx: Tx,
  input: { orderId: string; paymentId: string | null; as: 'refunded' | 'disputed'; actor: string; reason: string },
  now: Date,
): Promise<boolean> {
  const order = await repo.findOrder(tx, input.orderId, { lock: true });
  if (!order || order.status !== 'paid') return false;
  await repo.changeStatus(tx, { orderId: order.id, from: 'paid', to: 'cancelled', actor: input.actor, reason: input.reason, at: now });
  await tickets.voidTicketsOfOrder(tx, order.id, now);
  await releaseOrder(tx, order.id, now);
  if (input.paymentId) await payments.movePayment(tx, input.paymentId, ['confirmed'], input.as, now);
  const type = input.as === 'refunded' ? 'order.refunded' : 'order.cancelled';
  await queueOrderMessage(tx, order.eventId, { type, payload: { orderId: order.id } }, now);
  return true;
}

export type ReinstateResult = 'paid' | 'capacity_gone' | 'unchanged';

/**
 * A dispute the organizer won: the money stands, so the order closed by the dispute is paid again —
 * its capacity taken again (never by overselling), new tickets issued (the voided ones stay void, so
 * their QR codes and codes stay refused) and `order.paid` queued, as for any paid order. If the seats
 * were sold meanwhile the order stays cancelled and is flagged for the organizer, who refunds it or
 * makes room. The payment moves disputed → confirmed first, so this happens once however often the
 * provider reports it.
 */
export async function reinstateDisputedOrderIn(
  tx: Tx,
  input: { orderId: string; paymentId: string; actor: string },
  now: Date,
): Promise<ReinstateResult> {
  const order = await repo.findOrder(tx, input.orderId, { lock: true });
  if (!order || !(await payments.movePayment(tx, input.paymentId, ['disputed'], 'confirmed', now))) return 'unchanged';
  // Only the dispute closed it; an order cancelled otherwise (refunded, say) is not ours to reopen.
  if (order.status !== 'cancelled') return 'unchanged';
  if (await fulfil(tx, order, input.actor, now, 'dispute won: payment stands')) return 'paid';
  await repo.flagAttention(tx, {
    orderId: order.id,
    status: order.status,
    actor: input.actor,
    reason: 'Dispute won but the tickets were sold meanwhile: the customer paid and has no tickets. Refund the order or make room.',
    at: now,
  });
  return 'capacity_gone';
}
