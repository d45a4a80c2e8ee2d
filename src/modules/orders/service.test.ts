import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testDeps } from '../../testing/app.ts';
import { orderScenarios } from '../../testing/order-scenarios.ts';

let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db);
});
afterAll(() => database?.drop());

// The same scenarios run on PGlite in db/pglite.smoke.test.ts.
describe('ordering on PostgreSQL', () => {
  it.each(Object.entries(orderScenarios))('%s', (_name, scenario) => scenario(deps));
});
