import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
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
/** Statement texts hold no values (those are parameters), so there are as many as the code has shapes. */
const names = new Map<string, string>();

export function registerNamedRunner(db: Db, run: NamedRunner): void {
  runners.set(db, run);
}

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `gk_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/** Rows of `query`, run as a named prepared statement (the name derived from its text). */
export async function namedRows<T>(db: Db, query: SQL): Promise<T[]> {
  const run = runners.get(db);
  if (!run) throw new Error('namedRows needs a Db opened by openDatabase (a transaction cannot name statements)');
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (await run(nameOf(text), text, params)) as T[];
}
