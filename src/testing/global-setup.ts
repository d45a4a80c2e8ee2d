import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { testDatabaseUrl } from './env.ts';

/** Fails fast, with a hint, when the PostgreSQL the tests need is not there; builds the SPA once for browser tests. */
export default async function setup() {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `Tests need PostgreSQL at ${testDatabaseUrl()} (set TEST_DATABASE_URL). .ci/run shows how to install one. ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => {});
  }
  if (process.env.SKIP_CLIENT_BUILD !== '1') {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  }
}
