import { sql, type AnyColumn } from 'drizzle-orm';

/**
 * A person's search words as a PostgreSQL prefix query ("jane smi" → 'jane':* & 'smi':*) for
 * to_tsquery('simple', …); null when nothing searchable is left. Each word is quoted, so no input can
 * inject tsquery operators.
 */
export function prefixTsQuery(text: string): string | null {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[\\'":&|!()<>*]/g, ''))
    .filter((w) => w.length > 0)
    .slice(0, 8);
  return words.length ? words.map((w) => `'${w}':*`).join(' & ') : null;
}

/** A keyset-paging cursor: the last row's sort key, opaque to clients. */
export const encodeCursor = (key: string[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string | undefined, length: number): string[] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((k) => typeof k === 'string')) return key as string[];
  } catch {
    // fall through: a cursor we did not make
  }
  return null;
}

/**
 * A timestamp column as a keyset cursor's sort key, to the microsecond: a JS Date keeps milliseconds
 * only, and a cursor rounded down would skip or repeat rows stamped within the same millisecond.
 */
export const cursorTime = (column: AnyColumn) => sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
