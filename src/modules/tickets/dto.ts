import { z } from 'zod';

export const ticketViewSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  /**
   * What the ticket's QR encodes: the signed secret. The page draws the QR from it, so showing an order
   * costs the server no image rendering however often it is fetched.
   */
  qrText: z.string(),
  ticketTypeName: z.string(),
  attendeeName: z.string(),
  status: z.enum(['valid', 'void']),
  addOns: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
});
export type TicketView = z.infer<typeof ticketViewSchema>;

/** What issuing needs per order line: n tickets of a type, each with these add-ons. */
export type IssueLine = {
  ticketTypeId: string;
  ticketTypeName: string;
  quantity: number;
  addOns: { addOnId: string; name: string; quantity: number }[];
  /** Holder per ticket of the line, in order; a missing one is the order's default name. */
  attendeeNames?: string[];
};

/** A ticket with its secret, for modules that render or send it (never for public output as-is). */
export type IssuedTicket = {
  id: string;
  eventId: string;
  ticketTypeId: string;
  code: string;
  secret: string;
  ticketTypeName: string;
  attendeeName: string;
  status: 'valid' | 'void';
  addOns: { addOnId: string; name: string; quantity: number }[];
};
