import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import * as catalog from '../catalog/index.ts';
import * as notifications from '../notifications/index.ts';
import * as tickets from '../tickets/index.ts';
import { passOrderOf } from './documents.ts';
import { orderLinkToken } from './link-token.ts';
import { sendsMessages } from './notices.ts';
import * as repo from './repo.ts';
import { accessOrder, orderPageUrl, type OrdersDeps } from './service.ts';

type MessageDeps = { db: Db; config: { publicUrl: string; appSecret?: string } };

/**
 * What an order's messages show, read when the message is sent: customer, event, total, the valid tickets
 * with their secrets (for the QR), and a link that opens the order. A refunded or cancelled order has no
 * valid tickets but still loads, so its notice can be sent. Null for an unknown order.
 */
export async function getOrderForMessage(deps: MessageDeps, orderId: string): Promise<notifications.TicketMessageData | null> {
  const order = await repo.findOrder(deps.db, orderId);
  if (!order) return null;
  if (!deps.config.appSecret) throw new Error('APP_SECRET is not set: order links cannot be signed');
  const [event, issued] = await Promise.all([
    catalog.getEventInfo(deps.db, order.eventId),
    order.status === 'paid' ? tickets.ticketsOfOrder(deps.db, order.id) : Promise.resolve([]),
  ]);
  const { event: shown, tickets: valid } = passOrderOf(order, event, issued.filter((t) => t.status === 'valid'));
  return {
    orderId: order.id,
    orderCode: order.code,
    customer: { name: order.customerName, email: order.customerEmail, phone: order.customerPhone },
    event: shown,
    total: { amountCents: order.totalCents, currency: order.currency },
    tickets: valid,
    link: orderPageUrl(deps.config.publicUrl, order.id, orderLinkToken(deps.config.appSecret, order.id)),
  };
}

async function queueResend(deps: OrdersDeps, orderId: string, requestedBy: 'customer' | 'admin') {
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    // The row lock makes concurrent requests for one order count one after the other.
    const order = await repo.findOrder(tx, orderId, { lock: true });
    if (!order) throw new AppError('NOT_FOUND', 'No such order');
    if (order.status !== 'paid') throw new AppError('ORDER_NOT_PAID', `This order is ${order.status}; it has no tickets to send`);
    if (!(await sendsMessages(tx, order.eventId))) return;
    const maxPerHour = requestedBy === 'customer' ? deps.config.notifications.resendPerHour : undefined;
    await notifications.requestTicketsResend(tx, { orderId, requestedBy, maxPerHour }, now);
  });
  return { queued: true as const };
}

/** "Send my tickets again" from the order page: rate-limited per order. */
export async function resendTickets(deps: OrdersDeps, input: { orderId: string; token: string }) {
  const order = await accessOrder(deps, input.orderId, input.token);
  return queueResend(deps, order.id, 'customer');
}

/** An organizer sends an order's tickets again (no limit). */
export const adminResendTickets = (deps: OrdersDeps, input: { orderId: string }) => queueResend(deps, input.orderId, 'admin');
