import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { decodeCursor, encodeCursor, prefixTsQuery } from '../../shared/search.ts';
import * as catalog from '../catalog/index.ts';
import * as checkin from '../checkin/index.ts';
import * as notifications from '../notifications/index.ts';
import * as payments from '../payments/index.ts';
import * as tickets from '../tickets/index.ts';
import type { AdminAttendee, AdminOrderDetail, AdminOrderSummary, SearchAttendeesInput, SearchOrdersInput } from './dto.ts';
import * as repo from './repo.ts';

/* The organizer's read side of orders: search with keyset paging, and one order in full. */

export const SEARCH_PAGE_SIZE = 50;
const ORDER_CODE = /^[A-Z2-9]{8}$/;
const TICKET_CODE = /^\d{6,9}$/;

export const toSummary = (o: repo.OrderRow): AdminOrderSummary => ({
  id: o.id,
  code: o.code,
  status: o.status,
  customerName: o.customerName,
  customerEmail: o.customerEmail,
  totalCents: o.totalCents,
  currency: o.currency,
  createdAt: o.createdAt.toISOString(),
  attention: o.attention,
});

const MAX_LISTED_ORDERS = 500;

/** An event's orders for its organizer, newest first (the first 500; searchOrders pages through all). */
export async function listOrdersOfEvent(db: Db, eventId: string): Promise<AdminOrderSummary[]> {
  return (await repo.ordersOfEvent(db, eventId, MAX_LISTED_ORDERS)).map(toSummary);
}

/** Orders of an event by order code, ticket code, buyer's or holder's name or email; newest first, 50 a page. */
export async function searchOrders(db: Db, input: SearchOrdersInput): Promise<{ orders: AdminOrderSummary[]; nextCursor: string | null }> {
  const query = input.query?.trim() ?? '';
  const upper = query.toUpperCase();
  const code = ORDER_CODE.test(upper) ? upper : null;
  const ticketCode = TICKET_CODE.test(query) ? query : null;
  const words = query && !code && !ticketCode ? prefixTsQuery(query) : null;
  // A query that can match nothing (only punctuation) finds nothing, rather than everything.
  if (query && !code && !ticketCode && !words) return { orders: [], nextCursor: null };
  const after = decodeCursor(input.cursor, 2);
  if (input.cursor && !after) throw new AppError('VALIDATION', 'This page link is not valid; start again', { field: 'cursor' });
  const rows = await repo.searchOrders(db, {
    eventId: input.eventId,
    status: input.status,
    code,
    words,
    byTicket: ticketCode || words ? tickets.orderIdsByTicketQuery(input.eventId, { code: ticketCode, words }) : null,
    after: after as [string, string] | null,
    limit: SEARCH_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, SEARCH_PAGE_SIZE);
  const last = page.at(-1);
  return {
    orders: page.map((r) => toSummary(r.row)),
    nextCursor: rows.length > SEARCH_PAGE_SIZE && last ? encodeCursor([last.cursorAt, last.row.id]) : null,
  };
}

/** One order as its organizer sees it: lines, payments and refunds, tickets with check-ins, messages, history. */
export async function getOrderDetail(db: Db, orderId: string): Promise<AdminOrderDetail> {
  const order = await repo.findOrder(db, orderId);
  if (!order) throw new AppError('NOT_FOUND', 'No such order');
  const [event, lines, issued, paid, refunds, messages, history] = await Promise.all([
    catalog.getEventInfo(db, order.eventId),
    repo.linesOf(db, order.id),
    tickets.ticketsOfOrder(db, order.id),
    payments.paymentsOfOrder(db, order.id),
    payments.refundsOfOrder(db, order.id),
    notifications.notificationsOfOrder(db, order.id),
    repo.historyOf(db, order.id),
  ]);
  const checkins = await checkin.checkinStates(db, issued.map((t) => t.id));
  return {
    ...toSummary(order),
    customerPhone: order.customerPhone,
    event: { id: event.id, name: event.name, startsAt: event.startsAt, timeZone: event.timeZone },
    lines: lines.map((l) => ({
      ticketTypeName: l.ticketTypeName,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      addOns: l.addOns.map((a) => ({ name: a.name, quantity: a.quantity, unitPriceCents: a.unitPriceCents })),
    })),
    payments: paid.map((p) => ({ id: p.id, provider: p.provider, status: p.status, amountCents: p.amountCents, currency: p.currency })),
    refunds: refunds.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    tickets: issued.map((t) => ({
      id: t.id,
      code: t.code,
      ticketTypeName: t.ticketTypeName,
      attendeeName: t.attendeeName,
      status: t.status,
      addOns: t.addOns.map((a) => ({ name: a.name, quantity: a.quantity })),
      checkin: checkins.get(t.id) ?? null,
    })),
    notifications: messages,
    history: history.map((h) => ({ at: h.at.toISOString(), from: h.fromStatus, to: h.toStatus, actor: h.actor, reason: h.reason })),
  };
}

/** An event's attendees (tickets) in issue order, by ticket code or holder name; 50 a page, with check-in state. */
export async function searchAttendees(db: Db, input: SearchAttendeesInput): Promise<{ attendees: AdminAttendee[]; nextCursor: string | null }> {
  const query = input.query?.trim() ?? '';
  const code = TICKET_CODE.test(query) ? query : null;
  const words = query && !code ? prefixTsQuery(query) : null;
  if (query && !code && !words) return { attendees: [], nextCursor: null };
  const after = decodeCursor(input.cursor, 2);
  if (input.cursor && !after) throw new AppError('VALIDATION', 'This page link is not valid; start again', { field: 'cursor' });
  const rows = await tickets.searchTickets(db, { eventId: input.eventId, code, words, after: after as [string, string] | null, limit: SEARCH_PAGE_SIZE + 1 });
  const page = rows.slice(0, SEARCH_PAGE_SIZE);
  const [states, orderCodes] = await Promise.all([
    checkin.checkinStates(db, page.map((r) => r.ticket.id)),
    repo.codesOf(db, [...new Set(page.map((r) => r.ticket.orderId))]),
  ]);
  return {
    attendees: page.map(({ ticket }) => ({ ...ticket, orderCode: orderCodes.get(ticket.orderId) ?? '', checkin: states.get(ticket.id) ?? null })),
    nextCursor: rows.length > SEARCH_PAGE_SIZE ? encodeCursor(page.at(-1)!.cursor) : null,
  };
}
