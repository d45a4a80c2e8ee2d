import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { openPglite, openPostgres, type Database, type Db } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { testDatabaseUrl } from './env.ts';

export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated PostgreSQL database for one test file (or one load-test run, on `serverUrl`);
 * `drop()` removes it.
 */
export async function createTestDatabase(
  opts: { poolSize?: number; serverUrl?: string; prefix?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = opts.serverUrl ?? testDatabaseUrl();
  const name = `${opts.prefix ?? 'gk_test'}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), opts.poolSize ?? 20);
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async drop() {
      // A test may already have closed the pool on purpose (database-down paths).
      await database.close().catch(() => {});
      await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An in-memory PGlite database, migrated: the embedded default's smoke tests. */
export async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const database = await openPglite();
  await migrate(database);
  return { ...database, drop: () => database.close() };
}

/** Rows of a raw query, for tests that check the database's state behind the services' backs. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Row count of every table: take it before and after a refused request to prove nothing changed. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(name)}`);
    counts[name] = Number(row!.n);
  }
  return counts;
}
