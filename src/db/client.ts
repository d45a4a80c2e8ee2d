import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { PRIVATE_DIR } from '../shared/data-dir.ts';

/** The one Drizzle type every repo takes: PostgreSQL through node-postgres, or embedded PGlite. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type Database = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` on one session so that session-level state (advisory locks, multi-statement SQL) holds.
   * PGlite has a single session; node-postgres checks one client out of the pool.
   */
  withSession<T>(fn: (exec: (sqlText: string) => Promise<unknown>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

// node-postgres returns int8 and numeric as strings; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'gatekeeper' });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return {
    db: drizzlePg(pool) as unknown as Db,
    kind: 'postgres',
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn((text) => client.query(text));
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite under `dataDir/pglite`, or in memory when dataDir is undefined (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  let dir: string | undefined;
  if (dataDir) {
    dir = path.resolve(dataDir, 'pglite');
    // Owner-only: it is every customer's data (PGlite then makes its own files 0666: see shared/data-dir.ts).
    mkdirSync(dir, PRIVATE_DIR);
  }
  // Loaded on demand: PGlite's WASM bundle costs ~40 MB of RSS that PostgreSQL deployments never use.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  const template = dir && readdirSync(dir).length === 0 ? pgliteTemplate() : undefined;
  const client = dir ? new PGlite(dir, template ? { loadDataDir: template } : {}) : new PGlite();
  await client.waitReady;
  return {
    db: drizzlePglite(client) as unknown as Db,
    kind: 'pglite',
    withSession: (fn) => fn((text) => client.exec(text)),
    close: () => client.close(),
  };
}

/**
 * The bundled server's empty-cluster template (scripts/build.mjs writes it next to the bundle): a new
 * data directory is unpacked from it in ~1 s instead of PGlite's initdb (3 s on an idle machine, 10 s
 * and more on a busy one). Absent when running the sources (tests, `npm run dev`): initdb as before.
 */
function pgliteTemplate(): Blob | undefined {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pglite-template.tar.gz');
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : openPglite(opts.dataDir);
}
