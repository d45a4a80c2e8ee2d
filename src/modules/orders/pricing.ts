import { AppError } from '../../shared/errors.ts';
import type { ItemQuantity, SaleEvent } from '../catalog/index.ts';
import type { CreateOrderInput } from './dto.ts';
import type { LineAddOn } from './schema.ts';

export type PricedLine = {
  ticketTypeId: string;
  ticketTypeName: string;
  unitPriceCents: number;
  quantity: number;
  addOns: LineAddOn[];
  attendeeNames: string[];
};

export type PricedOrder = { lines: PricedLine[]; totalCents: number; items: ItemQuantity[] };

// Totals are stored as int4; refuse before arithmetic could overflow it.
const MAX_TOTAL_CENTS = 2_147_483_647;

const invalid = (field: string, message: string) => new AppError('VALIDATION', message, { field });

/** Checks the requested lines against the event and prices them as of now. Pure: no database. */
export function priceOrder(event: SaleEvent, lines: CreateOrderInput['lines']): PricedOrder {
  const priced: PricedLine[] = [];
  const items: ItemQuantity[] = [];
  let totalCents = 0;
  let tickets = 0;
  lines.forEach((line, i) => {
    const type = event.ticketTypes.get(line.ticketTypeId);
    if (!type) throw invalid(`lines.${i}.ticketTypeId`, 'This ticket type is not sold for this event');
    const seen = new Set<string>();
    const addOns = (line.addOns ?? []).map((a, j) => {
      const addOn = event.addOns.get(a.addOnId);
      if (!addOn) throw invalid(`lines.${i}.addOns.${j}.addOnId`, 'This add-on is not sold for this event');
      if (seen.has(a.addOnId)) throw invalid(`lines.${i}.addOns.${j}.addOnId`, 'The same add-on is listed twice');
      if (a.quantity > addOn.maxPerTicket) {
        throw invalid(`lines.${i}.addOns.${j}.quantity`, `At most ${addOn.maxPerTicket} of ${addOn.name} per ticket`);
      }
      seen.add(a.addOnId);
      items.push({ kind: 'add_on', id: addOn.id, quantity: a.quantity * line.quantity });
      return { addOnId: addOn.id, name: addOn.name, unitPriceCents: addOn.priceCents, quantity: a.quantity };
    });
    const perTicket = type.priceCents + addOns.reduce((s, a) => s + a.unitPriceCents * a.quantity, 0);
    totalCents += perTicket * line.quantity;
    tickets += line.quantity;
    items.push({ kind: 'ticket_type', id: type.id, quantity: line.quantity });
    if ((line.attendees?.length ?? 0) > line.quantity) throw invalid(`lines.${i}.attendees`, 'More names than tickets');
    const attendeeNames = (line.attendees ?? []).map((a) => a.name);
    priced.push({ ticketTypeId: type.id, ticketTypeName: type.name, unitPriceCents: type.priceCents, quantity: line.quantity, addOns, attendeeNames });
  });
  if (tickets > event.maxTicketsPerOrder) {
    throw invalid('lines', `At most ${event.maxTicketsPerOrder} tickets per order for this event`);
  }
  if (totalCents > MAX_TOTAL_CENTS) throw invalid('lines', 'This order is too large to be paid at once');
  return { lines: priced, totalCents, items };
}

/** The order as line items a payment provider shows: tickets, then each add-on of each line. */
export function checkoutLines(lines: PricedLine[]) {
  return lines.flatMap((l) => [
    { name: l.ticketTypeName, unitPriceCents: l.unitPriceCents, quantity: l.quantity },
    ...l.addOns.map((a) => ({ name: a.name, unitPriceCents: a.unitPriceCents, quantity: a.quantity * l.quantity })),
  ]);
}
