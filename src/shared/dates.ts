import { z } from 'zod';

/** A calendar date that exists (the ISO pattern takes 2030-02-30, which Date rolls over into March). */
function isRealDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/**
 * Every date-time a procedure accepts: ISO 8601 with an offset, a day that exists, and a year (in UTC)
 * from 2000 to 9999. Bounded so that every accepted value is one PostgreSQL stores (it has no year 0,
 * and JavaScript writes years past 9999 as "+010000", which it refuses) and one people mean.
 */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'Use an ISO 8601 date-time', abort: true })
  .refine(isRealDate, { message: 'This day does not exist in that month', abort: true })
  .refine((v) => {
    const year = new Date(v).getUTCFullYear();
    return year >= 2000 && year <= 9999;
  }, 'Use a date between the years 2000 and 9999');
