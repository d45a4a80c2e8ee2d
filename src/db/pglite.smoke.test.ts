import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDeps } from '../testing/app.ts';
import { createPgliteTestDatabase, queryRows, type TestDatabase } from '../testing/db.ts';
import { orderScenarios } from '../testing/order-scenarios.ts';
import { migrate } from './migrate.ts';

/* The embedded default (PGlite, PostgreSQL 18 in WASM) runs the same migrations and ordering scenarios. */

let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  database = await createPgliteTestDatabase();
  deps = testDeps(database.db);
});
afterAll(() => database?.drop());

describe('PGlite', () => {
  it('has every migration applied, and migrating again is a no-op', async () => {
    const files = readdirSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')).filter((f) => f.endsWith('.sql'));
    const applied = await queryRows<{ name: string }>(database.db, sql`select name from schema_migrations order by name`);
    expect(applied.map((r) => r.name)).toEqual(files.sort());
    expect(await migrate(database)).toEqual([]);
  });

  it.each(Object.entries(orderScenarios))('%s', (_name, scenario) => scenario(deps));
});
