import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testDeps } from '../../testing/app.ts';
import { CSRF_HEADER } from '../../shared/csrf.ts';
import { startServerProcess, type ServerProcess } from '../../testing/server-process.ts';
import { createDevice } from './devices.ts';
import { rowsOf } from './scan-repo.ts';
import { buyTickets, gateEvent } from '../../testing/gate.ts';

/* Exactly-once is a claim about the cluster: two real server processes share one PostgreSQL database. */
let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db);
  servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: database.url!, DATABASE_POOL_SIZE: '10' })));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await database?.drop();
});

async function call(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as {
    result?: { data: { result: string; checkedInAt?: string; previous?: { at: string; device: string | null } } };
    error?: unknown;
  };
  return { status: res.status, data: json.result?.data, setCookie: res.headers.get('set-cookie') };
}

describe('exactly once across two server processes', () => {
  it('100 simultaneous scans of one ticket from 100 devices: one ok, 99 already checked in, 100 attempt rows', async () => {
    const event = await gateEvent(deps.db, deps.clock());
    const { tickets } = await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]! });
    const ticket = tickets[0]!;
    const devices = await Promise.all(
      Array.from({ length: 100 }, (_, i) => createDevice(deps.db, { eventId: event.eventId, name: `Gate ${i}` }, null, deps.clock())),
    );
    const responses = await Promise.all(
      devices.map((d, i) =>
        call(servers[i % 2]!.url, 'checkin.scan', { eventId: event.eventId, qr: ticket.secret, nonce: randomUUID() }, { authorization: `Bearer ${d.token}` }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const results = responses.map((r) => r.data!.result);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'already_checked_in')).toHaveLength(99);
    // Every loser names the winner, even those whose statement began before the winner committed.
    const winner = responses.find((r) => r.data!.result === 'ok')!.data!;
    const winnerDevice = `Gate ${responses.findIndex((r) => r.data!.result === 'ok')}`;
    for (const r of responses.filter((x) => x.data!.result !== 'ok')) {
      expect(r.data!.previous).toEqual({ at: winner.checkedInAt, device: winnerDevice });
    }
    const [counts] = await rowsOf<{ attempts: number; ok: number; devices: number; holders: number }>(
      deps.db,
      sql`SELECT count(*)::int AS attempts, count(*) FILTER (WHERE result = 'ok')::int AS ok, count(DISTINCT device_id)::int AS devices,
                 (SELECT count(*)::int FROM ticket_checkins WHERE ticket_id = ${ticket.id}::uuid) AS holders
          FROM checkins WHERE ticket_id = ${ticket.id}::uuid`,
    );
    expect(counts).toEqual({ attempts: 100, ok: 1, devices: 100, holders: 1 });
  });

  it('a device revoked through one process is refused at once by the other', async () => {
    const event = await gateEvent(deps.db, deps.clock());
    const { tickets } = await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 2 });
    const device = await createDevice(deps.db, { eventId: event.eventId, name: 'Lost phone' }, null, deps.clock());
    const auth = { authorization: `Bearer ${device.token}` };
    const [a, b] = servers as [ServerProcess, ServerProcess];
    expect((await call(b.url, 'checkin.scan', { eventId: event.eventId, qr: tickets[0]!.secret }, auth)).data?.result).toBe('ok');

    const email = `admin-${randomUUID()}@example.com`;
    await createUser(deps.db, { email, password: 'correct horse battery', role: 'admin' });
    const login = await call(a.url, 'auth.login', { email, password: 'correct horse battery' });
    const cookie = login.setCookie!.split(';')[0]!;
    expect((await call(a.url, 'admin.revokeDevice', { deviceId: device.deviceId }, { cookie, [CSRF_HEADER]: '1' })).status).toBe(200);

    const refused = await call(b.url, 'checkin.scan', { eventId: event.eventId, qr: tickets[1]!.secret }, auth);
    expect(refused.status).toBe(401);
    const [holders] = await rowsOf<{ n: number }>(
      deps.db,
      sql`SELECT count(*)::int AS n FROM ticket_checkins WHERE ticket_id = ${tickets[1]!.id}::uuid`,
    );
    expect(holders!.n).toBe(0);
  });
});
