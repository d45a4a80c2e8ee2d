import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { InjectOptions } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { testDeps } from '../src/testing/app.ts';
import { createPgliteTestDatabase } from '../src/testing/db.ts';
import { createTestEvent } from '../src/testing/fixtures.ts';
import { buyTickets, enrolDevice, gateEvent } from '../src/testing/gate.ts';

/*
 * The embedded default (PGlite: PostgreSQL in WASM, one connection, in the server's own process) under
 * the two hot calls, so an organizer can tell when to move to PostgreSQL. The load test's server process
 * cannot be used here (it seeds through a second connection), so this drives the full app in-process
 * (Fastify, tRPC, the same routes) with app.inject: no sockets, which flatters it a little.
 *
 *   node --import tsx loadtest/embedded-bench.ts [--seconds 5] [--concurrency 10]
 */
const { values: args } = parseArgs({ options: { seconds: { type: 'string' }, concurrency: { type: 'string' } } });
const seconds = Number(args.seconds ?? 5);
const concurrency = Number(args.concurrency ?? 10);

const database = await createPgliteTestDatabase();
const deps = testDeps(database.db);
const app = await buildApp({ deps });

async function run(name: string, request: () => InjectOptions) {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const res = await app.inject(request());
        latencies.push(performance.now() - t);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10;
  return { scenario: name, perSec: Math.round(latencies.length / elapsed), p50Ms: pct(50), p99Ms: pct(99), statuses };
}

try {
  const gate = await gateEvent(deps.db, deps.clock());
  const tickets: { secret: string }[] = [];
  for (let i = 0; i < 10; i++) tickets.push(...(await buyTickets(deps, { eventId: gate.eventId, ticketTypeId: gate.ticketTypeIds[0]!, quantity: 100 })).tickets);
  const { token } = await enrolDevice(deps, gate.eventId);
  const sale = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 1_000_000, priceCents: 2500 }] });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}): InjectOptions => ({
    method: 'POST',
    url: `/trpc/${path}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
  let next = 0;
  let buyer = 0;
  const rows = [
    await run('checkin (checkin.scan, distinct QRs, then repeats)', () =>
      post('checkin.scan', { eventId: gate.eventId, qr: tickets[next++ % tickets.length]!.secret, nonce: randomUUID() }, { authorization: `Bearer ${token}` }),
    ),
    await run('order (priced, one hot ticket type)', () =>
      post('orders.create', {
        eventId: sale.eventId,
        customer: { name: `Buyer ${++buyer}`, email: `buyer${buyer}@example.com` },
        lines: [{ ticketTypeId: sale.ticketTypeIds[0]!, quantity: 1 }],
      }),
    ),
  ];
  console.table(rows);
  console.log(JSON.stringify({ seconds, concurrency, rows }, null, 2));
} finally {
  await app.close();
  await database.drop();
}
