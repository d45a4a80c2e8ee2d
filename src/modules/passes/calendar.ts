import { createEvent, type EventAttributes } from 'ics';
import type { PassFile, PassOrder } from './dto.ts';

/**
 * The event as an iCalendar entry (RFC 5545, built by the `ics` library). Start in UTC (events have no
 * zone yet) and no end (events have none; a DTSTART-only event is valid). The UID is per order, so
 * importing the resent email's entry updates the first one instead of doubling it. No link: the order
 * page's link opens the tickets and calendars get synced and shared.
 */
export function calendarEntry(order: PassOrder): PassFile {
  const { event } = order;
  const tickets = order.tickets.length;
  // The library's types demand an end or duration; it writes a DTSTART-only event fine without (RFC 5545 3.6.1).
  const attributes = {
    productId: 'gatekeeper-tickets',
    uid: `order-${order.orderId}@gatekeeper`,
    start: new Date(event.startsAt).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    title: event.name,
    ...(event.venue ? { location: event.venue } : {}),
    description: `Order ${order.orderCode}${tickets ? `, ${tickets} ticket${tickets === 1 ? '' : 's'}` : ''}. Your tickets are in the email and on the order page.`,
  } as EventAttributes;
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new Error(`calendar entry: ${error?.message ?? 'no output'}`);
  return { filename: 'event.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: Buffer.from(value, 'utf8') };
}
