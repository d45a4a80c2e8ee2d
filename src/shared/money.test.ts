import { describe, expect, it } from 'vitest';
import { formatMoney, fractionDigitsOf, parseMajorUnits } from './money.ts';

describe('money', () => {
  it('knows each currency’s minor-unit digits', () => {
    expect([fractionDigitsOf('EUR'), fractionDigitsOf('JPY'), fractionDigitsOf('KWD')]).toEqual([2, 0, 3]);
  });

  it('formats minor units in the currency', () => {
    expect(formatMoney(1250, 'EUR')).toBe('€12.50');
    expect(formatMoney(1250, 'JPY')).toBe('¥1,250');
  });

  it('parses major units exactly, with a dot or a comma', () => {
    expect(parseMajorUnits('12.5', 'EUR')).toBe(1250);
    expect(parseMajorUnits('0,29', 'EUR')).toBe(29);
    expect(parseMajorUnits(' 7 ', 'EUR')).toBe(700);
    expect(parseMajorUnits('7.', 'EUR')).toBe(700);
    expect(parseMajorUnits('1.234', 'KWD')).toBe(1234);
    expect(parseMajorUnits('1500', 'JPY')).toBe(1500);
  });

  it('refuses what is not a plain amount in the currency', () => {
    for (const bad of ['', '-1', '1.234', '1e3', 'abc', '1.2.3', '.5']) expect(parseMajorUnits(bad, 'EUR')).toBeNull();
    expect(parseMajorUnits('10.5', 'JPY')).toBeNull();
  });
});
