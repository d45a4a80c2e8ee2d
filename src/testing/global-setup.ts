import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { testDatabaseUrl } from './env.ts';

/** Fails fast, with a hint, when the PostgreSQL the tests need is not there; builds the app if it is stale. */
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
    // The product's own build, skipped when dist/ matches the sources (npm install's build, or the other
    // test project's): browser tests then always drive the current SPA.
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-changed'], { stdio: 'inherit' });
  }
}
