import { priceStepOf } from '../../shared/charge-units.ts';
import type { Discount, VoucherTerms } from './dto.ts';

/** Does the voucher discount this ticket type? */
export const appliesTo = (terms: Pick<VoucherTerms, 'ticketTypeIds'>, ticketTypeId: string) =>
  terms.ticketTypeIds.length === 0 || terms.ticketTypeIds.includes(ticketTypeId);

/**
 * A ticket's price with the discount, in minor units. A percentage is rounded half up to the currency's
 * price step (what card payments can charge: whole yen, KWD in steps of 10 fils), so the total is exact
 * and Stripe is asked for the same amount; amounts and set prices are checked against the step when the
 * voucher is created. Never below zero, never above the ticket's own price.
 */
export function discountedPrice(discount: Discount, unitPriceCents: number, currency: string): number {
  if ('priceCents' in discount) return Math.min(discount.priceCents, unitPriceCents);
  if ('amountCents' in discount) return Math.max(0, unitPriceCents - discount.amountCents);
  const step = priceStepOf(currency);
  // Integer arithmetic: unit × percent / 100 rounded half up, then to whole steps.
  const off = Math.floor((unitPriceCents * discount.percent + 50) / 100);
  return Math.max(0, unitPriceCents - Math.round(off / step) * step);
}
