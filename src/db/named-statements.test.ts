import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { cachedNamedRows } from './named-statements.ts';

/*
 * The gate's statements are built once per key and then only bound: the build runs once, each call's
 * values reach the database as parameters (never in the text), and a value left out is an error rather
 * than a silent NULL. On both drivers the Db can come from.
 */

const databases: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createTestDatabase({ poolSize: 2 })],
  ['PGlite', createPgliteTestDatabase],
];

describe.each(databases)('cachedNamedRows on %s', (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.drop());

  it('builds a key once and binds each call its own values', async () => {
    let builds = 0;
    const key = `test-echo-${Math.random()}`;
    const build = () => {
      builds++;
      return sql`SELECT ${sql.placeholder('word')}::text AS word, ${sql.placeholder('n')}::int + 1 AS next`;
    };
    const calls = await Promise.all(['ab', "o'neil", 'ünï'].map((word, n) => cachedNamedRows<{ word: string; next: number }>(database.db, key, build, { word, n })));
    expect(calls.map(([row]) => row)).toEqual([
      { word: 'ab', next: 1 },
      { word: "o'neil", next: 2 },
      { word: 'ünï', next: 3 },
    ]);
    expect(builds).toBe(1);
  });

  it('refuses a call that leaves a value out', async () => {
    const key = `test-missing-${Math.random()}`;
    await expect(cachedNamedRows(database.db, key, () => sql`SELECT ${sql.placeholder('a')}::text AS a`, {})).rejects.toThrow(/placeholder "a"/);
  });

  it('refuses a Db it did not open (a transaction cannot name statements)', async () => {
    await database.db.transaction(async (tx) => {
      await expect(cachedNamedRows(tx as never, 'test-tx', () => sql`SELECT 1`, {})).rejects.toThrow(/openDatabase/);
    });
  });
});
