import { AppError } from '../../shared/errors.ts';
import * as payments from '../payments/index.ts';
import { closePaidOrderIn } from './lifecycle.ts';
import { queueOrderMessage } from './notices.ts';
import * as repo from './repo.ts';
import type { OrdersDeps } from './service.ts';

/**
 * The money back through the payment's provider, before anything changes here (the provider's refund is
 * idempotent, so a retry after a failure is safe); a refusal is PAYMENT_UNAVAILABLE with nothing changed.
 */
export async function refundThroughProvider(deps: OrdersDeps, payment: payments.PaymentDto, reason: string, partial?: { amountCents: number; key: string }) {
  try {
    await deps.payments.get(payment.provider)?.refund?.(payment, reason, partial ? { partial } : undefined);
  } catch (err) {
    throw new AppError('PAYMENT_UNAVAILABLE', 'The payment provider did not accept the refund right now; nothing was changed. Please try again.', {
      orderId: payment.orderId,
    }, { cause: err });
  }
}

/**
 * Refunds a paid order in full: the money back through its provider first (idempotent, so a retry after
 * a failure is safe), then, in one transaction, the order cancelled with who and why, its tickets void,
 * its capacity returned, the payment refunded and the customer told. When the provider's own refund
 * webhook gets there first, this finds the order closed already and does nothing twice.
 */
export async function refundOrder(deps: OrdersDeps, input: { orderId: string; reason?: string; actor: string }) {
  const order = await repo.findOrder(deps.db, input.orderId);
  if (!order) throw new AppError('NOT_FOUND', 'No such order');
  const payment = await payments.latestPaymentOf(deps.db, order.id);
  // A flagged order (won dispute, seats sold meanwhile) holds money but no tickets: refunding settles it.
  const flagged = order.status === 'cancelled' && order.attention !== null && payment?.status === 'confirmed';
  if (order.status !== 'paid' && !flagged) {
    if (order.status === 'cancelled' && payment?.status === 'refunded') return { status: 'cancelled' as const };
    throw new AppError('ORDER_NOT_REFUNDABLE', `Only paid orders can be refunded; this one is ${order.status}`);
  }
  const reason = input.reason?.trim() || 'refunded by the organizer';
  if (payment && payment.status === 'confirmed') await refundThroughProvider(deps, payment, reason);
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    if (!flagged) return closePaidOrderIn(tx, { orderId: order.id, paymentId: payment?.id ?? null, as: 'refunded', actor: input.actor, reason }, now);
    if (!(await payments.movePayment(tx, payment.id, ['confirmed'], 'refunded', now))) return false;
    await repo.resolveAttention(tx, { orderId: order.id, status: order.status, actor: input.actor, reason, at: now });
    await queueOrderMessage(tx, order.eventId, { type: 'order.refunded', payload: { orderId: order.id } }, now);
    return true;
  });
  return { status: 'cancelled' as const };
}
