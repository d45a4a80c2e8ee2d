import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { hashToken, newId, newOrderCode, newToken } from '../../shared/ids.ts';
import * as catalog from '../catalog/index.ts';
import * as payments from '../payments/index.ts';
import * as tickets from '../tickets/index.ts';
import * as vouchers from '../vouchers/index.ts';
import * as waitlist from '../waitlist/index.ts';
import { noCallLimits } from '../../shared/call-limits.ts';
import { assertHoldAllowed, originHashOf, takeFreeOrderAllowance, type AdmissionConfig, type OrderOrigin } from './admission.ts';
import type { PassesSettings } from '../passes/index.ts';
import { orderDocuments } from './documents.ts';
import type { CreateOrderInput, OrderView } from './dto.ts';
import { cancelPendingOrder, confirmPayment, expireIfOverdue, fulfilFreeOrder } from './lifecycle.ts';
import { isOrderLinkToken } from './link-token.ts';
import { checkoutLines, priceOrder } from './pricing.ts';
import * as repo from './repo.ts';
import type { Tx } from '../../shared/tx.ts';

/** What the orders use cases need from the process; AppDeps satisfies it. */
export type OrdersDeps = {
  db: Db;
  clock: Clock;
  payments: payments.PaymentProviders;
  config: AdmissionConfig & PassesSettings & { publicUrl: string; notifications: { resendPerHour: number } };
};

/** Orders placed from inside the process (scripts, tests): no address, no call limits. */
const internalOrigin: OrderOrigin = { ip: '', limits: noCallLimits };

const MAX_CODE_DRAWS = 5;

/**
 * Places an order: prices it, holds its capacity (SOLD_OUT changes nothing) and, if it is free, pays it
 * in the same transaction. A priced order then goes to the payment provider, after commit.
 */
export type PlacedOrder = { orderId: string; token: string; status: repo.OrderRow['status']; paymentUrl?: string };

export async function placeOrder(deps: OrdersDeps, input: CreateOrderInput, origin = internalOrigin): Promise<PlacedOrder> {
  const now = deps.clock();
  const token = newToken();
  const provider = deps.payments.current;
  // Seats that came back in passing (a hold that ran out, no sweep yet) go to the people waiting for
  // them before this order can find them free; committed on its own, whatever becomes of this order.
  await waitlist.offerWaitingSeats(deps.db, input.lines.map((l) => l.ticketTypeId), now);
  // Everything that needs no lock is read and checked before the transaction: what the locked statements
  // below re-check (voucher uses, the offer's hold, capacity) they check in their own conditional writes.
  const event = await catalog.getSaleEvent(deps.db, input.eventId, now);
  catalog.assertSmsAllowed(event, input.customer.phone);
  const voucher = input.voucher ? await vouchers.voucherTerms(deps.db, event.id, input.voucher, now) : undefined;
  const priced = priceOrder(event, input.lines, voucher);
  const offer = input.waitlistOffer ? await offerLines(deps, input, now) : undefined;
  const payWith = priced.totalCents === 0 ? null : (provider ?? noPaymentsTaken());
  if (!payWith) await takeFreeOrderAllowance(origin, input.customer);
  const order = draftOrder(deps, input, { event, token, totalCents: priced.totalCents, origin, now });
  const lines = priced.lines.map((l, position) => ({ id: newId(), position, ...l }));
  const tickets = priced.lines.reduce((n, l) => n + l.quantity, 0);

  const placed = await deps.db.transaction(async (tx) => {
    if (payWith) await assertHoldAllowed(tx, deps.config, { ...order, tickets }, now);
    await insertWithFreeCode(tx, order, lines, now);
    const payment = payWith
      ? await payments.createPayment(tx, { orderId: order.id, provider: payWith.name, amountCents: priced.totalCents, currency: event.currency }, now)
      : null;
    // The hot part, last: the capacity write locks the ticket type until commit. Then the voucher and the
    // offer (ticket types are locked before vouchers and waiting-list rows everywhere).
    await catalog.reserve(tx, order.id, priced.items, order.expiresAt, now, {
      poolId: voucher?.hasReserve ? voucher.id : undefined,
      takeOver: offer && { ownerId: offer.entryId, ticketTypeId: offer.ticketTypeId },
    });
    if (voucher) await vouchers.redeemVoucher(tx, { voucherId: voucher.id, orderId: order.id, uses: priced.voucherUses }, now);
    if (offer) await waitlist.claimOffer(tx, offer, order.id, offer.bought, now);
    if (!payment) {
      await fulfilFreeOrder(tx, order, now);
      return { order: { ...order, status: 'paid' as const }, payment, priced };
    }
    return { order, payment, priced };
  });

  const result = { orderId: placed.order.id, token, status: placed.order.status };
  if (!placed.payment) return result;
  const paymentUrl = await startCheckout(deps, placed.order, placed.payment, token, checkoutLines(placed.priced.lines));
  return { ...result, paymentUrl };
}

/** The pending order as it is first written (its code is drawn on insert). */
function draftOrder(
  deps: OrdersDeps,
  input: CreateOrderInput,
  d: { event: catalog.SaleEvent; token: string; totalCents: number; origin: OrderOrigin; now: Date },
): repo.OrderRow {
  return {
    id: newId(),
    code: '',
    eventId: d.event.id,
    status: 'pending',
    customerName: input.customer.name,
    customerEmail: input.customer.email.toLowerCase(),
    customerPhone: input.customer.phone ?? null,
    totalCents: d.totalCents,
    currency: d.event.currency,
    tokenHash: hashToken(d.token),
    originHash: d.origin.ip ? originHashOf(deps.config.appSecret, d.origin.ip) : null,
    expiresAt: new Date(d.now.getTime() + d.event.holdMinutes * 60_000),
    createdAt: d.now,
    paidAt: null,
    closedAt: null,
    attention: null,
  };
}

/** Writes the order, its lines and its history's first entry, drawing another code while the code is taken. */
async function insertWithFreeCode(tx: Tx, order: repo.OrderRow, lines: Parameters<typeof repo.insertNewOrder>[2], now: Date) {
  for (let draw = 0; ; draw++) {
    if (draw === MAX_CODE_DRAWS) throw new Error('could not draw a free order code');
    order.code = newOrderCode();
    if (await repo.insertNewOrder(tx, order, lines, { actor: 'customer', at: now })) return;
  }
}

/** The open offer behind the order's offer link; the order must buy (up to) its seats. */
async function offerLines(deps: OrdersDeps, input: CreateOrderInput, now: Date) {
  const offer = await waitlist.offerForOrder(deps.db, deps.config.appSecret, input.waitlistOffer!, now);
  const bought = input.lines.filter((l) => l.ticketTypeId === offer.ticketTypeId).reduce((n, l) => n + l.quantity, 0);
  if (bought === 0 || bought > offer.quantity) {
    throw new AppError('VALIDATION', `This offer holds ${offer.quantity} ticket${offer.quantity === 1 ? '' : 's'} for you: order up to that many`, {
      field: 'lines',
    });
  }
  return { ...offer, bought };
}

function noPaymentsTaken(): never {
  throw new AppError('PAYMENT_UNAVAILABLE', 'This site cannot take payments yet; only free tickets can be ordered');
}

async function startCheckout(
  deps: OrdersDeps,
  order: repo.OrderRow,
  payment: payments.PaymentDto,
  token: string,
  lines: ReturnType<typeof checkoutLines>,
): Promise<string> {
  const provider = deps.payments.get(payment.provider);
  const orderUrl = orderPageUrl(deps.config.publicUrl, order.id, token);
  const request = (p: payments.PaymentDto): payments.CheckoutRequest => ({
    paymentId: p.id,
    orderId: order.id,
    orderCode: order.code,
    orderToken: token,
    amountCents: payment.amountCents,
    currency: payment.currency,
    customerEmail: order.customerEmail,
    lines,
    expiresAt: order.expiresAt,
    successUrl: orderUrl,
    cancelUrl: `${deps.config.publicUrl}/events/${order.eventId}?cancelled=${order.id}`,
    providerRef: p.providerRef,
    attempt: p.checkoutAttempt,
    attemptStartedAt: p.checkoutStartedAt,
  });
  try {
    if (!provider) throw new Error(`payment provider ${payment.provider} is not configured`);
    let started;
    try {
      started = await provider.startCheckout(request(payment));
    } catch (err) {
      if (!(err instanceof payments.CheckoutAttemptSpent)) throw err;
      // The attempt's checkout is gone (expired, or the provider stored a failure for it): one new attempt.
      const next = await payments.beginNextCheckoutAttempt(deps.db, payment.id, payment.checkoutAttempt, deps.clock());
      if (!next) throw err;
      started = await provider.startCheckout(request(next));
    }
    const { redirectUrl, providerRef } = started;
    if (providerRef) await payments.recordProviderRef(deps.db, payment.id, providerRef, deps.clock());
    return redirectUrl;
  } catch (err) {
    // The order and its hold stay; the customer can retry payment from the order page.
    throw new AppError('PAYMENT_UNAVAILABLE', 'The payment provider cannot be reached right now. Your tickets stay reserved; please try again.', {
      orderId: order.id,
      token,
      reason: err instanceof AppError ? err.message : undefined,
    });
  }
}

export const orderPageUrl = (publicUrl: string, orderId: string, token: string) =>
  `${publicUrl}/orders/${orderId}#token=${encodeURIComponent(token)}`;

/**
 * The order behind an id and token — the customer's own token, or the link token of our messages
 * (link-token.ts). NOT_FOUND for a wrong token too, so ids can't be probed.
 */
export async function accessOrder(deps: Pick<OrdersDeps, 'db' | 'config'>, orderId: string, token: string): Promise<repo.OrderRow> {
  const order = await repo.findOrder(deps.db, orderId);
  const expected = Buffer.from(order?.tokenHash ?? hashToken('-'));
  const given = Buffer.from(hashToken(token));
  const ownToken = expected.length === given.length && timingSafeEqual(expected, given);
  if (!order || !(ownToken || isOrderLinkToken(deps.config.appSecret, orderId, token))) {
    throw new AppError('NOT_FOUND', 'No order with this link. Check that you copied the whole link.');
  }
  return order;
}

/**
 * The order as its page shows it. A read only: a pending order past its hold is shown `expired` (which
 * it is — its capacity already counts as free), and the sweeper or the next mutation records that.
 */
export async function getOrder(deps: OrdersDeps, input: { orderId: string; token: string }): Promise<OrderView> {
  const now = deps.clock();
  const order = await accessOrder(deps, input.orderId, input.token);
  const [lines, event, payment, issued] = await Promise.all([
    repo.linesOf(deps.db, order.id),
    catalog.getEventInfo(deps.db, order.eventId),
    payments.latestPaymentOf(deps.db, order.id),
    order.status === 'paid' ? tickets.ticketsOfOrder(deps.db, order.id) : Promise.resolve([]),
  ]);
  const documents = await orderDocuments(deps, order, event, issued);
  return {
    id: order.id,
    code: order.code,
    status: order.status === 'pending' && order.expiresAt <= now ? 'expired' : order.status,
    expiresAt: order.expiresAt.toISOString(),
    customer: { name: order.customerName, email: order.customerEmail, phone: order.customerPhone },
    totalCents: order.totalCents,
    currency: order.currency,
    event: { id: event.id, name: event.name, startsAt: event.startsAt, timeZone: event.timeZone, venue: event.venue },
    lines: lines.map((l) => ({
      ticketTypeName: l.ticketTypeName,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      addOns: l.addOns.map((a) => ({ name: a.name, quantity: a.quantity, unitPriceCents: a.unitPriceCents })),
    })),
    payment: payment ? { provider: payment.provider, status: payment.status } : null,
    tickets: tickets.ticketViews(issued).map((t) => ({ ...t, walletLinks: documents.walletLinks.get(t.id) ?? {} })),
    ticketsPdfUrl: documents.ticketsPdfUrl,
    calendarUrl: documents.calendarUrl,
  };
}

/** Sends a pending order (again) to its payment provider, e.g. after the provider was down. */
export async function resumePayment(deps: OrdersDeps, input: { orderId: string; token: string }) {
  const order = await accessOrder(deps, input.orderId, input.token);
  const payment = await payments.latestPaymentOf(deps.db, order.id);
  if (order.status !== 'pending' || !payment) throw new AppError('ORDER_NOT_PAYABLE', `This order is ${order.status}`);
  if (order.expiresAt <= deps.clock()) {
    await expireIfOverdue(deps.db, order.id, deps.clock());
    throw new AppError('ORDER_EXPIRED', 'The reservation has expired; please order again');
  }
  const lines = await repo.linesOf(deps.db, order.id);
  return { paymentUrl: await startCheckout(deps, order, payment, input.token, checkoutLines(lines)) };
}

/** The `test` provider's Pay / Cancel buttons. Refused for orders paid through any other provider. */
export async function completeTestPayment(deps: OrdersDeps, input: { orderId: string; token: string; action: 'pay' | 'cancel' }) {
  const now = deps.clock();
  const order = await accessOrder(deps, input.orderId, input.token);
  const payment = await payments.latestPaymentOf(deps.db, order.id);
  if (!payment || payment.provider !== 'test' || !deps.payments.get('test')) {
    throw new AppError('FORBIDDEN', 'This order is not paid with the test provider');
  }
  if (input.action === 'cancel') {
    if (!(await cancelPendingOrder(deps.db, order.id, 'customer', 'checkout cancelled', now))) {
      throw new AppError('ORDER_NOT_PAYABLE', `This order is ${order.status} and can no longer be cancelled here`);
    }
    return { status: 'cancelled' as const };
  }
  const result = await confirmPayment(deps.db, { orderId: order.id, paymentId: payment.id, actor: 'provider:test' }, now);
  if (result === 'capacity_gone') throw new AppError('ORDER_EXPIRED', 'Your reservation expired and the tickets were sold meanwhile');
  if (result === 'not_payable') throw new AppError('ORDER_NOT_PAYABLE', 'This order was cancelled');
  return { status: 'paid' as const };
}
