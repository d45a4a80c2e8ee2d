import { formatInZone } from '../../shared/time-zone.ts';
/*
 * What the pocket formats (calendar entry, PDF, Apple and Google Wallet passes) are made from. The orders
 * module provides it (orders.getOrderForPasses, and the tickets email's data has the same shape), so this
 * module renders without reading anyone's tables.
 */

/** One admitted person as a document shows it; `secret` is exactly what the QR encodes. */
export type PassTicket = {
  id: string;
  code: string;
  secret: string;
  ticketTypeName: string;
  attendeeName: string;
  addOns: { name: string; quantity: number }[];
  /** Absent means valid (the tickets email only carries valid ones). */
  status?: 'valid' | 'void';
};

export type PassOrder = {
  orderId: string;
  orderCode: string;
  /** Events carry no time zone yet: the start is an ISO instant, shown in UTC. */
  /** timeZone: IANA; documents show the event's wall clock with its abbreviation. */
  event: { id: string; name: string; startsAt: string; timeZone: string; venue: string | null };
  tickets: PassTicket[];
};

/** A file to attach to an email or answer a download with. */
export type PassFile = { filename: string; contentType: string; content: Buffer };

export const addOnText = (addOns: PassTicket['addOns']) => addOns.map((a) => (a.quantity > 1 ? `${a.quantity} × ${a.name}` : a.name)).join(', ');

/** "Saturday, 5 June 2027 at 19:30 CEST": the event's wall clock, the same words as the emails. */
export const startsAtText = (event: { startsAt: string; timeZone: string }) => formatInZone(event.startsAt, event.timeZone);
