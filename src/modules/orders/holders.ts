import { AppError } from '../../shared/errors.ts';
import * as catalog from '../catalog/index.ts';
import * as tickets from '../tickets/index.ts';
import * as repo from './repo.ts';
import { accessOrder, type OrdersDeps } from './service.ts';

/**
 * Changes who holds one ticket of an order (the name the gate, the emails and the exports show), and
 * records it in the order's history with the old and new name. The organizer may do it any time.
 */
export async function renameHolder(deps: OrdersDeps, input: { orderId: string; ticketId: string; name: string; actor: string }) {
  const now = deps.clock();
  return rename(deps, input, now);
}

/**
 * The customer corrects a holder's name from the order page (a typo, a friend going instead), until the
 * event's sales end — after that the organizer does it. Only valid tickets of a paid order.
 */
export async function customerRenameHolder(deps: OrdersDeps, input: { orderId: string; token: string; ticketId: string; name: string }) {
  const order = await accessOrder(deps, input.orderId, input.token);
  if (order.status !== 'paid') throw new AppError('ORDER_NOT_PAID', 'Names can be changed once the order is paid');
  const event = await catalog.getEventInfo(deps.db, order.eventId);
  const now = deps.clock();
  if (now >= new Date(event.salesEndAt)) {
    throw new AppError('NOT_ON_SALE', 'Sales for this event have ended: ask the organizer to change a name now');
  }
  return rename(deps, { ...input, actor: 'customer' }, now);
}

async function rename(deps: OrdersDeps, input: { orderId: string; ticketId: string; name: string; actor: string }, now: Date) {
  return deps.db.transaction(async (tx) => {
    const order = await repo.findOrder(tx, input.orderId, { lock: true });
    if (!order) throw new AppError('NOT_FOUND', 'No such order');
    const ticket = (await tickets.ticketsOfOrder(tx, order.id)).find((t) => t.id === input.ticketId);
    if (!ticket) throw new AppError('NOT_FOUND', 'No such ticket in this order');
    if (ticket.status !== 'valid') throw new AppError('VALIDATION', 'This ticket is void', { field: 'ticketId' });
    if (ticket.attendeeName === input.name) return { ticketId: ticket.id, name: input.name };
    await tickets.renameHolder(tx, order.id, ticket.id, input.name);
    const reason = `holder of ticket ${ticket.code} renamed from "${ticket.attendeeName}" to "${input.name}"`;
    await repo.recordHistory(tx, { orderId: order.id, status: order.status, actor: input.actor, reason, at: now });
    return { ticketId: ticket.id, name: input.name };
  });
}
