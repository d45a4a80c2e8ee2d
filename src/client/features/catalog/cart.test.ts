import { describe, expect, it } from 'vitest';
import { availabilityText, lineKey, orderLines, setAddOnQuantity, setQuantity, totalOf, type StoreEvent } from './cart.ts';

const event: StoreEvent = {
  id: 'e',
  name: 'Gig',
  venue: null,
  description: null,
  startsAt: '2030-01-01T20:00:00.000Z',
  timeZone: 'UTC',
  currency: 'EUR',
  onSale: true,
  maxTicketsPerOrder: 10,
  smsCountries: [],
  ticketTypes: [
    { id: 'early', name: 'Early', priceCents: 1900, currency: 'EUR', available: 3 },
    { id: 'std', name: 'Standard', priceCents: 2500, currency: 'EUR', available: null },
  ],
  addOns: [
    { id: 'shirt', name: 'Shirt', priceCents: 1500, available: 10, maxPerTicket: 2 },
    { id: 'park', name: 'Parking', priceCents: 500, available: null, maxPerTicket: 1 },
  ],
};

describe('cart', () => {
  it('sends only picked types and add-ons, in the event’s order, and totals them like the server', () => {
    let cart = setQuantity({}, 'std', 2);
    cart = setAddOnQuantity(cart, 'std', 'park', 1);
    cart = setAddOnQuantity(cart, 'std', 'shirt', 0);
    cart = setQuantity(cart, 'early', 1);
    const lines = orderLines(event, cart);
    expect(lines).toEqual([
      { ticketTypeId: 'early', quantity: 1 },
      { ticketTypeId: 'std', quantity: 2, addOns: [{ addOnId: 'park', quantity: 1 }] },
    ]);
    expect(totalOf(event, lines)).toBe(1900 + 2 * (2500 + 500));
    expect(orderLines(event, setQuantity(cart, 'early', 0))).toHaveLength(1);
  });

  it('points a server field error back at the pick it is about', () => {
    const submitted = orderLines(event, setAddOnQuantity(setQuantity(setQuantity({}, 'early', 1), 'std', 1), 'std', 'park', 1));
    expect(lineKey(submitted, 'std')).toBe('lines.1');
    expect(lineKey(submitted, 'std', 'park')).toBe('lines.1.addOns.0');
    expect(lineKey(submitted, 'early', 'park')).toBeNull();
    expect(lineKey(undefined, 'std')).toBeNull();
  });

  it('says what is left only when it is little', () => {
    expect([availabilityText(null), availabilityText(0), availabilityText(5), availabilityText(500)]).toEqual([
      null,
      'Sold out',
      'Only 5 left',
      null,
    ]);
  });
});
