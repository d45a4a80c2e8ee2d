import { createHash } from 'node:crypto';
import { DrizzleQueryError, fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

/*
 * Named prepared statements for the gate's per-scan queries. The scan statement takes PostgreSQL far
 * longer to plan (~1-4 ms) than to run (~0.2 ms); named, each connection plans it a few times and then
 * reuses a generic plan. Drizzle has no public way to name a raw statement, so this goes through public
 * pieces only: drizzle's PgDialect builds the text and parameters, and the driver that openPostgres or
 * openPglite registered for the Db runs it (node-postgres by name; PGlite, one session, unnamed).
 */

/** Runs `text` with `params` as the statement `name` on the database behind a Db; its rows. */
export type NamedRunner = (name: string, text: string, params: unknown[]) => Promise<unknown[]>;

const runners = new WeakMap<Db, NamedRunner>();
const dialect = new PgDialect();

export function registerNamedRunner(db: Db, run: NamedRunner): void {
  runners.set(db, run);
}

type Built = { name: string; text: string; params: unknown[] };
/** By key: the caller's word for a statement's shape. Keys come from code, never from input, so this stays small. */
const built = new Map<string, Built>();

/**
 * Rows of the statement `key` names: built by `build` the first time (its values as sql.placeholder),
 * then only bound — `values` fill the placeholders by name (a missing one throws). The statement's
 * text must depend on nothing but `key`; its name is derived from the text.
 */
export async function cachedNamedRows<T>(db: Db, key: string, build: () => SQL, values: Record<string, unknown>): Promise<T[]> {
  const run = runners.get(db);
  if (!run) throw new Error('named statements need a Db opened by openDatabase (a transaction cannot name them)');
  let statement = built.get(key);
  if (!statement) {
    const { sql: text, params } = dialect.sqlToQuery(build());
    statement = { name: `gk_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, params };
    built.set(key, statement);
  }
  const params = fillPlaceholders(statement.params, values);
  try {
    return (await run(statement.name, statement.text, params)) as T[];
  } catch (cause) {
    // Wrapped as drizzle wraps every other statement's error: one shape for sqlStateOf and the log.
    throw new DrizzleQueryError(statement.text, params, cause as Error);
  }
}
