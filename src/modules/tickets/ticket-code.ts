import { randomDigits } from '../../shared/ids.ts';

const MIN_DIGITS = 6;

/**
 * Digits for an event's codes once `issuedCount` tickets exist: at most 10 % of the code space may be
 * in use, so random guessing stays hopeless and collisions rare. 6 digits up to 100,000 tickets.
 */
export function codeDigitsFor(issuedCount: number): number {
  let digits = MIN_DIGITS;
  while (issuedCount * 10 > 10 ** digits) digits++;
  return digits;
}

export const newTicketCode = (digits: number): string => randomDigits(digits);
