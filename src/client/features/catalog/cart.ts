import type { RouterInputs, RouterOutputs } from '../../trpc.ts';

export type StoreEvent = RouterOutputs['catalog']['getEvent'];
export type OrderLines = RouterInputs['orders']['create']['lines'];

/** What the customer picked: tickets per type and, per type, add-ons per ticket. */
export type Cart = Record<string, { quantity: number; addOns: Record<string, number> }>;

export function setQuantity(cart: Cart, ticketTypeId: string, quantity: number): Cart {
  return { ...cart, [ticketTypeId]: { addOns: {}, ...cart[ticketTypeId], quantity } };
}

export function setAddOnQuantity(cart: Cart, ticketTypeId: string, addOnId: string, quantity: number): Cart {
  const line = cart[ticketTypeId] ?? { quantity: 0, addOns: {} };
  return { ...cart, [ticketTypeId]: { ...line, addOns: { ...line.addOns, [addOnId]: quantity } } };
}

/** The cart as orders.create wants it, in the event's order of types; empty picks left out. */
export function orderLines(event: StoreEvent, cart: Cart): OrderLines {
  return event.ticketTypes.flatMap((type) => {
    const line = cart[type.id];
    if (!line || line.quantity < 1) return [];
    const addOns = event.addOns
      .map((a) => ({ addOnId: a.id, quantity: line.addOns[a.id] ?? 0 }))
      .filter((a) => a.quantity > 0);
    return [{ ticketTypeId: type.id, quantity: line.quantity, ...(addOns.length ? { addOns } : {}) }];
  });
}

/** A preview of the sum the server charges: per ticket its (voucher) price plus its add-ons, times the tickets. */
export function totalOf(event: StoreEvent, lines: OrderLines): number {
  const price = new Map([
    ...event.ticketTypes.map((t) => [t.id, t.voucherPriceCents ?? t.priceCents] as const),
    ...event.addOns.map((a) => [a.id, a.priceCents] as const),
  ]);
  return lines.reduce(
    (sum, l) =>
      sum + l.quantity * ((price.get(l.ticketTypeId) ?? 0) + (l.addOns ?? []).reduce((s, a) => s + a.quantity * (price.get(a.addOnId) ?? 0), 0)),
    0,
  );
}

/**
 * Where a server field error about a ticket type (or one of its add-ons) points in the submitted lines:
 * "lines.1" or "lines.1.addOns.0". Null when that pick was not part of the submission.
 */
export function lineKey(submitted: OrderLines | undefined, ticketTypeId: string, addOnId?: string): string | null {
  const i = submitted?.findIndex((l) => l.ticketTypeId === ticketTypeId) ?? -1;
  if (i < 0) return null;
  if (!addOnId) return `lines.${i}`;
  const j = submitted![i]!.addOns?.findIndex((a) => a.addOnId === addOnId) ?? -1;
  return j < 0 ? null : `lines.${i}.addOns.${j}`;
}

/** "Sold out", "Only 3 left" or nothing, for a type's or add-on's remaining capacity (null = unlimited). */
export function availabilityText(available: number | null): string | null {
  if (available === null) return null;
  if (available <= 0) return 'Sold out';
  return available <= 20 ? `Only ${available} left` : null;
}
