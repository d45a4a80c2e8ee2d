import { AppError } from '../../shared/errors.ts';
import type { ItemQuantity, SaleEvent } from '../catalog/index.ts';
import { appliesTo, discountedPrice, type VoucherTerms } from '../vouchers/index.ts';
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

/** `voucherUses`: tickets the voucher discounts (or unlocks), each one use of it. */
export type PricedOrder = { lines: PricedLine[]; totalCents: number; items: ItemQuantity[]; voucherUses: number };

// Totals are stored as int4; refuse before arithmetic could overflow it.
const MAX_TOTAL_CENTS = 2_147_483_647;

const invalid = (field: string, message: string) => new AppError('VALIDATION', message, { field });

/**
 * Checks the requested lines against the event and prices them as of now, with the voucher's discount
 * on the ticket types it applies to. Hidden types only with a voucher that unlocks them. Pure: no database.
 */
export function priceOrder(event: SaleEvent, lines: CreateOrderInput['lines'], voucher?: VoucherTerms): PricedOrder {
  const priced: PricedLine[] = [];
  const items: ItemQuantity[] = [];
  let totalCents = 0;
  let tickets = 0;
  let voucherUses = 0;
  lines.forEach((line, i) => {
    const type = event.ticketTypes.get(line.ticketTypeId);
    const discounted = !!voucher && !!type && appliesTo(voucher, type.id);
    if (!type || (type.hidden && !(discounted && voucher.unlocksHidden))) {
      throw invalid(`lines.${i}.ticketTypeId`, 'This ticket type is not sold for this event');
    }
    const unitPriceCents = discounted ? discountedPrice(voucher.discount, type.priceCents, event.currency) : type.priceCents;
    if (discounted) voucherUses += line.quantity;
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
    const perTicket = unitPriceCents + addOns.reduce((s, a) => s + a.unitPriceCents * a.quantity, 0);
    totalCents += perTicket * line.quantity;
    tickets += line.quantity;
    items.push({ kind: 'ticket_type', id: type.id, quantity: line.quantity });
    if ((line.attendees?.length ?? 0) > line.quantity) throw invalid(`lines.${i}.attendees`, 'More names than tickets');
    const attendeeNames = (line.attendees ?? []).map((a) => a.name);
    priced.push({ ticketTypeId: type.id, ticketTypeName: type.name, unitPriceCents, quantity: line.quantity, addOns, attendeeNames });
  });
  if (tickets > event.maxTicketsPerOrder) {
    throw invalid('lines', `At most ${event.maxTicketsPerOrder} tickets per order for this event`);
  }
  if (totalCents > MAX_TOTAL_CENTS) throw invalid('lines', 'This order is too large to be paid at once');
  if (voucher && voucherUses === 0) {
    throw new AppError('VOUCHER_INVALID', 'This voucher code is not valid for the tickets you picked.', { field: 'voucher' });
  }
  return { lines: priced, totalCents, items, voucherUses };
}

/** The order as line items a payment provider shows: tickets, then each add-on of each line. */
export function checkoutLines(lines: PricedLine[]) {
  return lines.flatMap((l) => [
    { name: l.ticketTypeName, unitPriceCents: l.unitPriceCents, quantity: l.quantity },
    ...l.addOns.map((a) => ({ name: a.name, unitPriceCents: a.unitPriceCents, quantity: a.quantity * l.quantity })),
  ]);
}
