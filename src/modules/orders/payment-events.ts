import { sql } from 'drizzle-orm';
import type { Tx } from '../../shared/tx.ts';
import * as notifications from '../notifications/index.ts';
import * as payments from '../payments/index.ts';
import { cancelPendingOrderIn, closePaidOrderIn, confirmPaymentIn, reinstateDisputedOrderIn } from './lifecycle.ts';
import * as repo from './repo.ts';
import type { OrdersDeps } from './service.ts';

/*
 * A provider's webhook events applied to orders. Each event is re-read from the provider (a
 * PaymentReport: its state now, not what the payload claimed) and moves the order towards that
 * state; every move is conditional on the current status under the order's row lock. So the same
 * events delivered twice, or in any order, leave the state one ordered delivery leaves — and the
 * event id, recorded in the transaction of its effect, stops redeliveries before they cost anything.
 */

export type PaymentEventOutcome =
  | 'duplicate'
  | 'ignored'
  | 'unknown_payment'
  | 'amount_mismatch'
  | 'paid'
  | 'closed'
  | 'late_payment_refunded'
  | 'duplicate_payment_refunded'
  | 'cancelled'
  | 'reinstated'
  | 'needs_attention'
  | 'unchanged';

const OPEN: payments.PaymentStatus[] = ['created', 'pending'];

/** refundCheckout: the refund is of that checkout's money (a second checkout of the payment), not the payment's own. */
type Step = { outcome: PaymentEventOutcome; refundDue?: payments.PaymentDto; refundCheckout?: string };

export async function applyPaymentEvent(
  deps: OrdersDeps,
  event: payments.PaymentEvent,
  opts: { lockTimeoutMs?: number } = {},
): Promise<PaymentEventOutcome> {
  const { db } = deps;
  const now = deps.clock();
  if (await payments.processedEventOutcome(db, event.provider, event.eventId)) return 'duplicate';
  const record = async (tx: Tx, outcome: PaymentEventOutcome) =>
    (await payments.recordProcessedEvent(tx, { ...event, outcome }, now)) ? outcome : 'duplicate';

  const report = event.report;
  const payment = report ? await payments.findPayment(db, report.paymentId) : null;
  if (!report || !payment || payment.orderId !== report.orderId || payment.provider !== event.provider) {
    return db.transaction((tx) => record(tx, report ? 'unknown_payment' : 'ignored'));
  }
  if (report.state === 'paid' && (report.amountCents !== payment.amountCents || report.currency !== payment.currency.toUpperCase())) {
    return db.transaction((tx) => record(tx, 'amount_mismatch'));
  }

  const step = await db.transaction(async (tx): Promise<Step> => {
    // A webhook waits briefly for a busy order, then fails (5xx) so the provider retries later.
    if (opts.lockTimeoutMs) await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${Math.round(opts.lockTimeoutMs)}ms'`));
    const order = await repo.findOrder(tx, report.orderId, { lock: true });
    const current = await payments.findPayment(tx, payment.id);
    if (!order || !current) return { outcome: await record(tx, 'unknown_payment') };
    const step = await moveTowards(tx, report, current, now);
    // A refund still owed to the customer is recorded only once Stripe has made it (see below).
    return step.refundDue ? step : { outcome: await record(tx, step.outcome) };
  });
  if (!step.refundDue) return step.outcome;

  // The money must go back. The decision is committed (payment `refunded`, customer message queued);
  // the provider call is idempotent, and if it fails the event stays unrecorded, so the retry repeats it.
  const provider = deps.payments.get(step.refundDue.provider);
  const reason =
    step.outcome === 'duplicate_payment_refunded'
      ? 'paid twice: the order was already paid through another checkout'
      : 'late payment: the reservation had expired and the tickets were gone';
  await provider?.refund?.(step.refundDue, reason, step.refundCheckout ? { checkoutRef: step.refundCheckout } : undefined);
  return db.transaction((tx) => record(tx, step.outcome));
}

async function moveTowards(tx: Tx, report: payments.PaymentReport, known: payments.PaymentDto, now: Date): Promise<Step> {
  const actor = `provider:${known.provider}`;
  // Money can arrive through a checkout other than the one the payment points at: an older session of
  // the payment that the customer still completed (see payments-stripe.md, lost Checkout responses).
  const other = report.providerRef && known.providerRef && report.providerRef !== known.providerRef ? report.providerRef : undefined;
  let payment = known;
  if (report.state === 'paid' && other) {
    if (OPEN.includes(payment.status)) {
      // The first money for this payment: the order is paid through that checkout, so it is the one to refund later.
      await payments.recordProviderRef(tx, payment.id, other, now);
      payment = { ...payment, providerRef: other };
    } else if (report.reversal) {
      return { outcome: 'unchanged' }; // that checkout's money went back already
    } else if (payment.status === 'failed' || payment.status === 'cancelled') {
      return { ...(await refundLatePayment(tx, report, payment, now)), refundCheckout: other };
    } else {
      // The order was settled through another checkout: this money is a second payment and goes back.
      return { outcome: 'duplicate_payment_refunded', refundDue: payment, refundCheckout: other };
    }
  }
  if (report.state === 'paid') {
    let outcome: PaymentEventOutcome = 'unchanged';
    if (OPEN.includes(payment.status)) {
      const result = await confirmPaymentIn(tx, { orderId: payment.orderId, paymentId: payment.id, actor }, now);
      if (result === 'paid') outcome = 'paid';
      else if (result !== 'already_paid') return refundLatePayment(tx, report, payment, now);
    } else if (payment.status === 'failed' || payment.status === 'cancelled') {
      // Money for a checkout we had given up on: never sell on it, send it back.
      return refundLatePayment(tx, report, payment, now);
    } else if (payment.status === 'disputed' && !report.reversal) {
      // The dispute closed in the organizer's favour: the money stands, the customer gets tickets again.
      const result = await reinstateDisputedOrderIn(tx, { orderId: payment.orderId, paymentId: payment.id, actor }, now);
      return { outcome: result === 'paid' ? 'reinstated' : result === 'capacity_gone' ? 'needs_attention' : 'unchanged' };
    } else if (payment.status === 'refunded' && !report.reversal) {
      // Refund decided by an earlier delivery whose provider call did not get through.
      return { outcome: 'late_payment_refunded', refundDue: payment };
    }
    if (report.reversal) {
      const closed = await closePaidOrderIn(
        tx,
        { orderId: payment.orderId, paymentId: payment.id, as: report.reversal, actor, reason: `${report.reversal} at the provider` },
        now,
      );
      if (closed) outcome = 'closed';
    }
    return { outcome };
  }
  if (report.state === 'failed' || report.state === 'expired') {
    // Only the checkout the payment currently points at: an older, abandoned one must not cancel a retry.
    if (report.providerRef !== payment.providerRef || !OPEN.includes(payment.status)) return { outcome: 'unchanged' };
    await payments.movePayment(tx, payment.id, OPEN, report.state === 'failed' ? 'failed' : 'cancelled', now);
    const reason = report.state === 'failed' ? 'payment failed' : 'checkout expired';
    await cancelPendingOrderIn(tx, { orderId: payment.orderId, actor, reason }, now);
    return { outcome: 'cancelled' };
  }
  return { outcome: 'unchanged' };
}

/** Paid too late (capacity gone) or for an order that is closed: the payment is refunded, once. */
async function refundLatePayment(tx: Tx, report: payments.PaymentReport, payment: payments.PaymentDto, now: Date): Promise<Step> {
  const moved = await payments.movePayment(tx, payment.id, [...OPEN, 'failed', 'cancelled'], 'refunded', now);
  if (moved) await notifications.enqueue(tx, { type: 'order.late_payment_refunded', payload: { orderId: payment.orderId } }, now);
  const current = { ...payment, status: 'refunded' as const };
  // Refunded already at the provider (the dashboard was quicker): nothing left to send back.
  return report.reversal ? { outcome: 'late_payment_refunded' } : { outcome: 'late_payment_refunded', refundDue: current };
}
