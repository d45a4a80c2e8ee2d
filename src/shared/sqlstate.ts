/*
 * PostgreSQL SQLSTATE codes, read one way everywhere. Drizzle wraps the driver's error, so the code sits
 * on the error or on something it wraps (`cause`).
 */

/** Deadlock detected: one of the two transactions was rolled back and may simply run again. */
export const DEADLOCK = '40P01';

/** A unique index refused a row: a concurrent request with the same key committed first. */
export const UNIQUE_VIOLATION = '23505';

// Class 08 (connection exception); 57P01-03: the server is shutting down, crashed, or starting.
const UNAVAILABLE = /^(08...|57P0[123])$/;
// Busy, try again: serialization failure, deadlock, lock timeout, statement timeout, too many connections,
// and the unavailable ones.
const TRANSIENT = /^(40001|40P01|55P03|57014|53300|57P0[1-3]|08...)$/;

/** The SQLSTATE of `err` or of the first error it wraps that has one (five characters), else undefined. */
export function sqlStateOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++, e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The database server is not there (or not yet / no longer). */
export const isUnavailableSqlState = (state: string | undefined) => state !== undefined && UNAVAILABLE.test(state);

/** The statement failed for a reason that retrying later can fix. */
export const isTransientSqlState = (state: string | undefined) => state !== undefined && TRANSIENT.test(state);
