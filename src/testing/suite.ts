import { afterAll, beforeAll } from 'vitest';
import { testDeps } from './app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/**
 * A fresh database and test deps for one test file: opened in beforeAll, dropped in afterAll.
 * Read `suite.deps` / `suite.database` inside tests and hooks (they are set once beforeAll ran).
 */
export function useTestDatabase(open: () => Promise<TestDatabase> = () => createTestDatabase()) {
  const suite = {} as { database: TestDatabase; deps: ReturnType<typeof testDeps> };
  beforeAll(async () => {
    suite.database = await open();
    suite.deps = testDeps(suite.database.db);
  });
  afterAll(() => suite.database?.drop());
  return suite;
}
