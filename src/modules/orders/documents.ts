import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import * as catalog from '../catalog/index.ts';
import * as passes from '../passes/index.ts';
import * as tickets from '../tickets/index.ts';
import type { OrderView } from './dto.ts';
import * as repo from './repo.ts';

type EventInfo = Awaited<ReturnType<typeof catalog.getEventInfo>>;

/** An order's tickets as the passes module renders them (PDF, calendar entry, wallet passes). */
export function passOrderOf(order: Pick<repo.OrderRow, 'id' | 'code'>, event: EventInfo, issued: tickets.IssuedTicket[]): passes.PassOrder {
  return {
    orderId: order.id,
    orderCode: order.code,
    event: { id: event.id, name: event.name, startsAt: event.startsAt, timeZone: event.timeZone, venue: event.venue },
    tickets: issued.map((t) => ({
      id: t.id,
      code: t.code,
      secret: t.secret,
      ticketTypeName: t.ticketTypeName,
      attendeeName: t.attendeeName,
      addOns: t.addOns.map((a) => ({ name: a.name, quantity: a.quantity })),
      status: t.status,
    })),
  };
}

/**
 * What the download routes render from: the order with every ticket (void ones too: a void ticket's
 * Apple pass is served marked void). `paid` false — refunded, cancelled — voids them all. Null when unknown.
 */
export async function getOrderForPasses(db: Db, orderId: string): Promise<(passes.PassOrder & { paid: boolean }) | null> {
  const order = await repo.findOrder(db, orderId);
  if (!order) return null;
  const [event, issued] = await Promise.all([catalog.getEventInfo(db, order.eventId), tickets.ticketsOfOrder(db, order.id)]);
  return { ...passOrderOf(order, event, issued), paid: order.status === 'paid' };
}

type LinkDeps = { clock: Clock; config: passes.PassesSettings };

/** The page's download and wallet links for a paid order (none for any other). */
export async function orderDocuments(
  deps: LinkDeps,
  order: repo.OrderRow,
  event: EventInfo,
  issued: tickets.IssuedTicket[],
): Promise<Pick<OrderView, 'ticketsPdfUrl' | 'calendarUrl'> & { walletLinks: Map<string, passes.WalletLinks> }> {
  if (order.status !== 'paid') return { ticketsPdfUrl: null, calendarUrl: null, walletLinks: new Map() };
  return passes.documentLinks(deps, passOrderOf(order, event, issued));
}
