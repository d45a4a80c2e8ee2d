import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { PRIVATE_DIR } from '../shared/data-dir.ts';
import { registerNamedRunner } from './named-statements.ts';

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
  /**
   * LISTEN on `channel` (a fixed identifier, never user input): `onPayload` gets each NOTIFY's payload.
   * node-postgres keeps a dedicated connection (reconnecting after a loss); PGlite uses its listen API.
   * Returns the stop.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

// node-postgres returns int8 and numeric as strings; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

// A server that went silent (host down, a partition) must not hold a request until the OS gives up on
// TCP (minutes): connecting fails after CONNECT_TIMEOUT_MS, and a query with no answer fails after
// QUERY_TIMEOUT_MS, far above any request's own queries (the slowest wait on a lock for a few seconds).
// Waiting for a free pooled connection is another matter: an on-sale burst queues hundreds of orders on
// a pool of ten, and they should wait their turn (up to POOL_WAIT_MS), not fail as 503s.
const CONNECT_TIMEOUT_MS = 5000;
const POOL_WAIT_MS = 30_000;
const QUERY_TIMEOUT_MS = 15_000;
// withSession runs migrations and waits on the start-up lock while another instance migrates: minutes.
const SESSION_QUERY_TIMEOUT_MS = 60 * 60_000;

/** node-postgres' pool uses one timeout for both; its clients get their own, shorter one for connecting. */
class QuickConnectClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}

export function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'gatekeeper',
    Client: QuickConnectClient,
    connectionTimeoutMillis: POOL_WAIT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    // Lets the OS notice a dead idle connection instead of the next query finding out.
    keepAlive: true,
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor a checked-out one (inside a transaction, between two queries): without a listener its 'error'
  // event is thrown and takes the process down. Its next query fails and the request gets a 503.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzlePg(pool) as unknown as Db;
  registerNamedRunner(db, async (name, text, values) => (await pool.query({ name, text, values })).rows);
  return {
    db,
    kind: 'postgres',
    async withSession(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // query_timeout per query is honoured by node-postgres though @types/pg does not declare it.
        return await fn((text) => client.query({ text, query_timeout: SESSION_QUERY_TIMEOUT_MS } as pg.QueryConfig));
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        // A session that failed (possibly mid-query, connection lost) is discarded, not reused.
        client.release(broken);
      }
    },
    listen: (channel, onPayload) => listenPostgres(url, channel, onPayload),
    close: () => pool.end(),
  };
}

/** A connection of its own that LISTENs, and comes back (after a second) when the server drops it. */
async function listenPostgres(url: string, channel: string, onPayload: (payload: string) => void) {
  let stopped = false;
  let client: pg.Client | null = null;
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: url, application_name: 'gatekeeper-listen', connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
    next.on('notification', (n) => n.channel === channel && onPayload(n.payload ?? ''));
    next.on('error', () => {
      if (client === next) client = null;
      void next.end().catch(() => {});
      setTimeout(() => void connect().catch(() => {}), 1000).unref();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
    } catch {
      void next.end().catch(() => {});
      setTimeout(() => void connect().catch(() => {}), 1000).unref();
    }
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
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
  const db = drizzlePglite(client) as unknown as Db;
  registerNamedRunner(db, async (_name, text, params) => (await client.query(text, params)).rows);
  return {
    db,
    kind: 'pglite',
    withSession: (fn) => fn((text) => client.exec(text)),
    async listen(channel, onPayload) {
      const stop = await client.listen(channel, onPayload);
      return async () => stop();
    },
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
