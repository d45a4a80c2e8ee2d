import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { testDatabaseUrl } from './env.ts';

export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated PostgreSQL database for one test file; `drop()` removes it. */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `gk_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), opts.poolSize ?? 20);
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An in-memory PGlite database, migrated: the embedded default's smoke tests. */
export async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const database = await openPglite();
  await migrate(database);
  return { ...database, drop: () => database.close() };
}
