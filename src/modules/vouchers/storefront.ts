import type { Db } from '../../db/client.ts';
import * as catalog from '../catalog/index.ts';
import type { VoucherTerms } from './dto.ts';
import { appliesTo, discountedPrice } from './pricing.ts';
import { voucherTerms } from './service.ts';

/** Hidden ticket types of the event this voucher makes visible and buyable. */
export function unlockedTypeIds(terms: VoucherTerms, types: { id: string; hidden: boolean }[]): string[] {
  if (!terms.unlocksHidden) return [];
  return types.filter((t) => t.hidden && appliesTo(terms, t.id)).map((t) => t.id);
}

/**
 * The event page with a voucher applied: the types it unlocks, their seats held back for it, and each
 * discounted price next to the normal one. A preview: orders.create prices again on the server.
 */
export async function publicEventWithVoucher(db: Db, eventId: string, code: string, now: Date) {
  const terms = await voucherTerms(db, eventId, code, now);
  const types = await catalog.ticketTypesOf(db, eventId);
  const event = await catalog.getPublicEvent(db, eventId, now, {
    unlockedTypeIds: unlockedTypeIds(terms, types),
    poolId: terms.hasReserve ? terms.id : undefined,
  });
  return {
    ...event,
    ticketTypes: event.ticketTypes.map((t) =>
      appliesTo(terms, t.id) ? { ...t, voucherPriceCents: discountedPrice(terms.discount, t.priceCents, event.currency) } : t,
    ),
    voucher: { code: terms.code, discount: terms.discount, ticketTypeIds: terms.ticketTypeIds },
  };
}
