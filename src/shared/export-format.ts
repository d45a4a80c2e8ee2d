import { fractionDigitsOf } from './money.ts';
import { isoToWallClock } from './time-zone.ts';

/*
 * Cell values for CSV exports: plain, locale-free text a spreadsheet reads the same everywhere.
 * Money as a decimal in major units ("25.00"), times as the event's wall clock ("2030-03-29 19:00").
 */

/**
 * Free text typed by customers (names, reasons): a leading = + - @ would make a spreadsheet run it as a
 * formula (CSV injection), so such a cell gets a leading apostrophe, which spreadsheets show as text.
 */
export const textCell = (text: string | null | undefined) => (text ? (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text) : '');

export const moneyCell = (cents: number, currency: string) => {
  const digits = fractionDigitsOf(currency);
  return (cents / 10 ** digits).toFixed(digits);
};

export const timeCell = (at: Date | string | null | undefined, timeZone: string) =>
  at ? isoToWallClock(typeof at === 'string' ? at : at.toISOString(), timeZone).replace('T', ' ') : '';

/** Rows of a table in batches of `size`, each batch read after the last key of the one before (keyset paging). */
export async function* keysetBatches<Row, Key>(read: (after: Key | null, size: number) => Promise<Row[]>, keyOf: (row: Row) => Key, size = 1000) {
  let after: Key | null = null;
  for (;;) {
    const rows = await read(after, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows.at(-1)!);
  }
}
