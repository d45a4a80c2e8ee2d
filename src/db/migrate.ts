import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 7_346_112;

/**
 * Applies src/db/migrations/*.sql in name order, each once, each in its own transaction.
 * An advisory lock makes concurrent starters (a PM2 cluster, two test servers) wait instead of racing.
 * File names carry a module-range prefix (0001 foundation, 01xx payments, 02xx notifications,
 * 03xx check-in, 04xx operations, 05xx auth) so parallel work never collides.
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return database.withSession(async (exec) => {
    await exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const applied = new Set(rowsOf(await exec('SELECT name FROM schema_migrations')).map((r) => String(r.name)));
      const done: string[] = [];
      for (const file of files) {
        if (applied.has(file)) continue;
        const body = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
        await exec(`BEGIN;\n${body}\n;INSERT INTO schema_migrations (name) VALUES ('${file.replace(/'/g, "''")}');\nCOMMIT;`).catch(
          async (err: unknown) => {
            await exec('ROLLBACK').catch(() => {});
            throw new Error(`migration ${file} failed: ${(err as Error).message}`);
          },
        );
        done.push(file);
      }
      return done;
    } finally {
      await exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

// node-postgres returns one result (or an array for multi-statement text); PGlite's exec an array.
function rowsOf(result: unknown): Record<string, unknown>[] {
  const results = Array.isArray(result) ? result : [result];
  const last = results[results.length - 1] as { rows?: Record<string, unknown>[] } | undefined;
  return last?.rows ?? [];
}

const STARTUP_LOCK_KEY = 7_346_113;

/**
 * Runs `fn` while holding a cluster-wide advisory lock, so that instances starting together (a PM2
 * cluster, several boxes) run one-time setup — migrations, the first admin, the demo event — one after
 * the other: the first does the work, the rest find it done. A different key than migrate()'s, which
 * takes its own lock on another pooled session.
 */
export async function withStartupLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  return database.withSession(async (exec) => {
    await exec(`SELECT pg_advisory_lock(${STARTUP_LOCK_KEY})`);
    try {
      return await fn();
    } finally {
      await exec(`SELECT pg_advisory_unlock(${STARTUP_LOCK_KEY})`);
    }
  });
}
