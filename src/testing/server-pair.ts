import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

/**
 * For race tests whose claim is about a cluster: two real server processes sharing one fresh PostgreSQL
 * database, started beforeAll and stopped afterAll. After each test, neither may have logged an internal
 * error or a deadlock, whatever the clients saw. Read the fields inside tests (set once beforeAll ran).
 */
export function useServerPair() {
  const pair = { servers: [] as ServerProcess[], urls: [] as string[] } as { database: TestDatabase; servers: ServerProcess[]; urls: string[] };
  beforeAll(async () => {
    pair.database = await createTestDatabase({ poolSize: 5 });
    pair.servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: pair.database.url!, DATABASE_POOL_SIZE: '10' }, 120_000)));
    pair.urls = pair.servers.map((s) => s.url);
  }, 180_000);
  afterEach(() => {
    for (const s of pair.servers) expect(s.output()).not.toMatch(/procedure failed|deadlock|"level":50/);
  });
  afterAll(async () => {
    await Promise.all(pair.servers.map((s) => s.stop()));
    await pair.database?.drop();
  });
  return pair;
}
