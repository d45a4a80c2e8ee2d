import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { formatMoney } from '../../shared/money.ts';
import * as catalog from '../catalog/index.ts';
import * as payments from '../payments/index.ts';
import * as tickets from '../tickets/index.ts';
import * as waitlist from '../waitlist/index.ts';
import { queueOrderMessage } from './notices.ts';
import { refundOrder, refundThroughProvider } from './refunds.ts';
import * as repo from './repo.ts';
import type { OrdersDeps } from './service.ts';

export type RefundInput = { orderId: string; ticketIds?: string[]; amountCents?: number; reason?: string; actor: string };
export type RefundResult = { status: 'paid' | 'cancelled'; refundedCents: number };

/** What one ticket cost: its line's unit price plus its add-ons as sold (the line whose add-ons match it). */
function priceOf(ticket: tickets.IssuedTicket, lines: repo.OrderLineRow[]): number {
  const sameAddOns = (l: repo.OrderLineRow) =>
    l.addOns.length === ticket.addOns.length &&
    l.addOns.every((a) => ticket.addOns.some((t) => t.addOnId === a.addOnId && t.quantity === a.quantity));
  const line = lines.find((l) => l.ticketTypeId === ticket.ticketTypeId && sameAddOns(l)) ?? lines.find((l) => l.ticketTypeId === ticket.ticketTypeId);
  if (!line) return 0;
  return line.unitPriceCents + line.addOns.reduce((sum, a) => sum + a.unitPriceCents * a.quantity, 0);
}

/**
 * The organizer's refund. No tickets and no amount: the whole order (refundOrder). Tickets: those are
 * voided and their capacity returns, and their price goes back unless `amountCents` says otherwise.
 * Only an amount: a goodwill refund, every ticket stays valid. Refunding every ticket is a full refund.
 *
 * The provider refunds first under a key made of the payment, the tickets, the amount and the refunds
 * recorded so far, so a double click sends one refund; the transaction then records it once (unique key)
 * and voids only tickets still valid (one conditional write each) — a twin request changes nothing.
 */
export async function refundPart(deps: OrdersDeps, input: RefundInput): Promise<RefundResult> {
  const ticketIds = [...new Set(input.ticketIds ?? [])].sort();
  if (ticketIds.length === 0 && input.amountCents === undefined) return { ...(await refundOrder(deps, input)), refundedCents: 0 };
  const order = await repo.findOrder(deps.db, input.orderId);
  if (!order) throw new AppError('NOT_FOUND', 'No such order');
  if (order.status !== 'paid') throw new AppError('ORDER_NOT_REFUNDABLE', `Only paid orders can be refunded; this one is ${order.status}`);
  const [issued, lines, payment] = await Promise.all([
    tickets.ticketsOfOrder(deps.db, order.id),
    repo.linesOf(deps.db, order.id),
    payments.latestPaymentOf(deps.db, order.id),
  ]);
  const valid = issued.filter((t) => t.status === 'valid');
  const chosen = valid.filter((t) => ticketIds.includes(t.id));
  if (chosen.length !== ticketIds.length) {
    throw new AppError('VALIDATION', 'Pick valid tickets of this order', { field: 'ticketIds' });
  }
  if (chosen.length > 0 && chosen.length === valid.length && input.amountCents === undefined) {
    return { ...(await refundOrder(deps, input)), refundedCents: 0 };
  }
  const paid = payment?.status === 'confirmed' ? payment : null;
  const refundable = paid ? paid.amountCents - (await payments.refundedCentsOf(deps.db, paid.id)) : 0;
  const amount = input.amountCents ?? chosen.reduce((sum, t) => sum + priceOf(t, lines), 0);
  if (amount > refundable) {
    throw new AppError('VALIDATION', `At most ${formatMoney(refundable, order.currency)} is left to refund`, { field: 'amountCents' });
  }
  if (amount === 0 && chosen.length === 0) throw new AppError('VALIDATION', 'Enter an amount to refund', { field: 'amountCents' });
  if (chosen.length === valid.length && valid.length > 0) {
    throw new AppError('VALIDATION', 'Refunding every ticket refunds the whole order: leave the amount empty', { field: 'amountCents' });
  }

  const priorRefunds = (await payments.refundsOfOrder(deps.db, order.id)).length;
  const key = `refund-${paid?.id ?? order.id}-${createHash('sha256').update(JSON.stringify([ticketIds, amount, priorRefunds])).digest('hex').slice(0, 24)}`;
  const reason = input.reason?.trim() || (chosen.length ? `refunded ${chosen.length} ticket(s) by the organizer` : 'partial refund by the organizer');
  if (paid && amount > 0) await refundThroughProvider(deps, paid, reason, { amountCents: amount, key });
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    if (paid && amount > 0) {
      const recorded = await payments.recordPartialRefund(tx, { payment: paid, amountCents: amount, ticketIds, reason, actor: input.actor, key }, now);
      if (!recorded) return;
    }
    const voided = await tickets.voidTickets(tx, order.id, ticketIds, now);
    if (paid === null && amount === 0 && voided.length === 0) return;
    await catalog.releaseSoldUnits(
      tx,
      order.id,
      voided.flatMap((t) => [
        { kind: 'ticket_type' as const, id: t.ticketTypeId, quantity: 1 },
        ...t.addOns.map((a) => ({ kind: 'add_on' as const, id: a.addOnId, quantity: a.quantity })),
      ]),
      now,
    );
    // Seats people wait for go to them first, as on a full refund.
    await waitlist.offerFreedSeats(tx, [...new Set(voided.map((t) => t.ticketTypeId))], now);
    const what = [voided.length ? `voided ${voided.map((t) => t.code).join(', ')}` : null, amount ? `refunded ${formatMoney(amount, order.currency)}` : null];
    await repo.recordHistory(tx, { orderId: order.id, status: 'paid', actor: input.actor, reason: `${what.filter(Boolean).join('; ')} (${reason})`, at: now });
    await queueOrderMessage(tx, order.eventId, { type: 'order.partially_refunded', payload: { orderId: order.id, amountCents: String(amount), ticketCount: String(voided.length) } }, now);
  });
  return { status: 'paid', refundedCents: amount };
}
