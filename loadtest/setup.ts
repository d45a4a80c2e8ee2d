import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { testConfig } from '../src/config.ts';
import type { Database } from '../src/db/client.ts';
import { createUser } from '../src/modules/auth/index.ts';
import { placeOrder } from '../src/modules/orders/index.ts';
import { createProviders } from '../src/modules/payments/index.ts';
import { ticketsOfOrder } from '../src/modules/tickets/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { CSRF_HEADER } from '../src/shared/csrf.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';
import { createTestEvent } from '../src/testing/fixtures.ts';
import { BUNDLED_SERVER, SOURCE_SERVER, startServerProcess, type ServerProcess } from '../src/testing/server-process.ts';

/** Where the load test creates its throwaway database: LOADTEST_DATABASE_URL, else the tests' server. */
const adminUrl = () => process.env.LOADTEST_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const POOL_SIZE = 10;

export type Target = {
  url: string;
  server: ServerProcess;
  database: TestDatabase;
  /** Peak resident memory of the server process seen by sample(), in MB. */
  rss: { sample(): void; peakMb(): number };
  /** The bearer token the server's /metrics asks for (set for this run). */
  metricsToken: string;
  /** CPU time the server process has used so far (user + system), in ms: a cost that contention doesn't inflate much. */
  cpuMs(): number;
  close(): Promise<void>;
};

/** How the server runs: the esbuild bundle as shipped (`npm start`, PM2, Docker), or the sources through tsx (`npm run dev`). */
export type Runtime = 'bundle' | 'tsx';

/** A fresh database, migrated, and a real server process on it (LOADTEST=1 enables the DB probe). */
export async function startTarget(extraEnv: Record<string, string> = {}, nodeArgs: string[] = [], runtime: Runtime = 'bundle'): Promise<Target> {
  // Measure what ships: build dist/ first if the sources changed since the last build (as `npm start` does).
  if (runtime === 'bundle') execFileSync(process.execPath, ['scripts/build.mjs', '--if-changed'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const database = await createTestDatabase({ serverUrl: adminUrl(), prefix: 'gk_loadtest', poolSize: 4 });
  const metricsToken = randomBytes(16).toString('hex');
  const server = await startServerProcess({
    METRICS_TOKEN: metricsToken,
    DATABASE_URL: database.url!,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    LOADTEST: 'true',
    LOG_LEVEL: 'info',
    ...extraEnv,
  }, 60_000, nodeArgs, { command: runtime === 'bundle' ? BUNDLED_SERVER : SOURCE_SERVER });
  let peak = 0;
  return {
    url: server.url,
    server,
    database,
    metricsToken,
    rss: {
      sample() {
        const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb / 1024);
      },
      peakMb: () => Math.round(peak),
    },
    cpuMs: () => processCpuMs(server.child.pid!),
    async close() {
      await server.stop();
      await database.drop();
    },
  };
}

/** CPU time a process has used (user + system), in ms: /proc/<pid>/stat fields 14 and 15, in ticks of 10 ms. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const deps = (database: Database, url: string) => ({
  db: database.db,
  clock: systemClock,
  payments: createProviders(),
  config: testConfig({ publicUrl: url }),
});

/** An event on sale with one ticket type of `capacity` (free unless a price is given). */
export async function seedEvent(database: Database, capacity: number, priceCents = 0) {
  const { eventId, ticketTypeIds } = await createTestEvent(database.db, systemClock(), { ticketTypes: [{ capacity, priceCents }] });
  return { eventId, ticketTypeId: ticketTypeIds[0]! };
}

/** `count` paid tickets (free orders of up to 100), their QR secrets in issue order. */
export async function seedTickets(database: Database, url: string, event: { eventId: string; ticketTypeId: string }, count: number) {
  const sizes = Array.from({ length: Math.ceil(count / 100) }, (_, i) => Math.min(100, count - i * 100));
  const secrets: { id: string; secret: string }[] = [];
  for (let i = 0; i < sizes.length; i += 4) {
    const batch = await Promise.all(
      sizes.slice(i, i + 4).map(async (quantity, j) => {
        const placed = await placeOrder(deps(database, url), {
          eventId: event.eventId,
          customer: { name: `Seed ${i + j}`, email: `seed${i + j}@example.com` },
          lines: [{ ticketTypeId: event.ticketTypeId, quantity }],
        });
        return ticketsOfOrder(database.db, placed.orderId);
      }),
    );
    for (const tickets of batch) secrets.push(...tickets.map((t) => ({ id: t.id, secret: t.secret })));
  }
  // On event day the tickets went out weeks ago: without this the server's embedded dispatcher would
  // render every seeded order's email (a QR PNG per ticket) during the measurement and skew it.
  await database.db.execute(sql`UPDATE outbox_messages SET status = 'sent', processed_at = now() WHERE status IN ('pending', 'queued')`);
  return secrets;
}

/** A signed-in admin's cookie (through HTTP, as the admin page does). */
export async function adminSession(database: Database, url: string): Promise<string> {
  const email = `loadtest-${randomBytes(3).toString('hex')}@example.com`;
  const password = randomBytes(12).toString('base64url');
  await createUser(database.db, { email, password, role: 'admin' });
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
  return cookie;
}

/** Calls a mutation over HTTP as the admin; the result's data. */
export async function adminMutation<T>(url: string, cookie: string, path: string, input: unknown): Promise<T> {
  const res = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, [CSRF_HEADER]: '1' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !body.result) throw new Error(`${path} failed: ${res.status} ${body.error?.message ?? JSON.stringify(body)}`);
  return body.result.data;
}
