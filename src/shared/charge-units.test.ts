import { describe, expect, it } from 'vitest';
import { fromStripeAmount, priceProblem, priceStepOf, toStripeAmount } from './charge-units.ts';
import { fractionDigitsOf } from './money.ts';

describe('amounts for Stripe', () => {
  it('sends the minor unit where ours and Stripe’s agree', () => {
    for (const c of ['EUR', 'USD', 'JPY', 'KRW', 'CLP', 'VND', 'UGX', 'MGA', 'XOF']) expect(toStripeAmount(1500, c)).toBe(1500);
  });

  it('scales currencies we count in whole units but Stripe in hundredths (ISK, HUF, COP, IDR …)', () => {
    for (const c of ['ISK', 'HUF', 'COP', 'IDR', 'PKR']) {
      expect(fractionDigitsOf(c)).toBe(0);
      expect(toStripeAmount(3500, c)).toBe(350000);
      expect(fromStripeAmount(350000, c)).toBe(3500);
    }
  });

  it('allows only the steps Stripe can charge, and refuses the rest before it gets there', () => {
    expect([priceStepOf('EUR'), priceStepOf('JPY'), priceStepOf('ISK'), priceStepOf('TWD'), priceStepOf('KWD'), priceStepOf('LYD')]).toEqual([1, 1, 1, 100, 10, 10]);
    expect(priceProblem(30000, 'TWD')).toBeNull();
    expect(priceProblem(30050, 'TWD')).toMatch(/^Prices in TWD must be multiples of/);
    expect(() => toStripeAmount(30050, 'TWD')).toThrow(/cannot be charged/);
    expect(() => toStripeAmount(5125, 'KWD')).toThrow(/cannot be charged/);
    expect(toStripeAmount(5130, 'LYD')).toBe(513); // three digits for us, two at Stripe
  });

  it('every currency an event may use has a step, and a price on that step converts exactly', () => {
    for (const c of Intl.supportedValuesOf('currency')) {
      const price = 7 * priceStepOf(c);
      expect(priceProblem(price, c)).toBeNull();
      expect(fromStripeAmount(toStripeAmount(price, c), c)).toBe(price);
    }
  });
});
