import { describe, expect, it } from 'vitest';
import { priceProblem } from '../../shared/charge-units.ts';
import { discountedPrice } from './pricing.ts';

// Discounts are exact in minor units, and a discounted price is always one card payments can charge.

describe('discountedPrice', () => {
  it.each([
    // EUR cents: 33 % of €19.99 is 659.67 cents → 660 off.
    [{ percent: 33 }, 1999, 'EUR', 1339],
    [{ percent: 50 }, 1, 'EUR', 0],
    [{ percent: 100 }, 2500, 'EUR', 0],
    // JPY has no minor unit: ¥1,999 × 15 % = ¥299.85 → ¥300 off.
    [{ percent: 15 }, 1999, 'JPY', 1699],
    // KWD is counted in fils (3 digits) and charged in steps of 10: 5.120 × 7 % = 0.3584 → 0.360 off.
    [{ percent: 7 }, 5120, 'KWD', 4760],
    // TWD is counted in cents and charged in whole dollars: NT$350 × 10 % = NT$35 off; × 3 % = 10.5 → NT$11.
    [{ percent: 10 }, 35000, 'TWD', 31500],
    [{ percent: 3 }, 35000, 'TWD', 33900],
    [{ amountCents: 500 }, 2500, 'EUR', 2000],
    [{ amountCents: 5000 }, 2500, 'EUR', 0],
    [{ priceCents: 0 }, 2500, 'EUR', 0],
    [{ priceCents: 900 }, 2500, 'EUR', 900],
    // A set price above the ticket's own never raises it.
    [{ priceCents: 9900 }, 2500, 'EUR', 2500],
  ] as const)('%o off %i %s → %i', (discount, unit, currency, expected) => {
    const price = discountedPrice(discount, unit, currency);
    expect(price).toBe(expected);
    expect(priceProblem(price, currency)).toBeNull();
  });
});
