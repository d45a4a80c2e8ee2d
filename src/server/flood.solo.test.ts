import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDevice } from '../modules/checkin/index.ts';
import { placeOrder, getOrder } from '../modules/orders/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testDeps } from '../testing/app.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { MAX_BATCH_SIZE } from '../shared/batching.ts';

// Issue 10's first finding: a flood of orders.get for a 100-ticket order (once 2.8 s of QR rendering per
// call) froze the process. With the QR drawn by the page and reads limited per address, the gate and the
// health probe keep answering while one address floods.

let database: TestDatabase;
let server: ServerProcess;
let base: string;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 8 });
  // The server in its own process (its event loop is what must stay free), with the default read limit.
  server = await startServerProcess({ DATABASE_URL: database.url!, RATE_LIMIT_ORDER_READS_PER_MINUTE: '120' });
  base = server.url;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const FLOOD_CLIENTS = 30;
const FLOOD_MAX_MS = 20_000;
const RAMP_MS = 500;
/** Each round: one /healthz and one scan, 50 ms apart. */
const PROBE_ROUNDS = 15;

const p90Of = (probes: { ms: number }[]) => probes.map((p) => p.ms).sort((a, b) => a - b)[Math.floor(probes.length * 0.9)]!;

it('one address flooding orders.get leaves /healthz and scanning answering within 100 ms', async () => {
  const deps = testDeps(database.db);
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: null }] });
  const big = await placeOrder(deps, { eventId, customer: { name: 'Flood', email: 'flood@example.com' }, lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 100 }] });
  const gate = await placeOrder(deps, { eventId, customer: { name: 'Guest', email: 'guest@example.com' }, lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 60 }] });
  const guests = (await getOrder(deps, gate)).tickets;
  const { token: deviceToken } = await createDevice(deps.db, { eventId, name: 'Gate F' }, null, deps.clock());
  const scanRequest = (qr: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
    body: JSON.stringify({ eventId, qr }),
  });
  const probes: { what: string; status: number; ms: number }[] = [];
  const timed = async (what: string, request: () => Promise<Response>) => {
    const started = performance.now();
    const res = await request();
    await res.arrayBuffer();
    probes.push({ what, status: res.status, ms: performance.now() - started });
  };

  // Warm up first: the first scan of a process pays for loading the event's key, not for the flood.
  await timed('warm-up', () => fetch(`${base}/trpc/checkin.scan`, scanRequest(guests.at(-1)!.qrText)));
  probes.length = 0;

  const floodStatuses = new Map<number, number>();
  const batch = JSON.stringify(Object.fromEntries(Array.from({ length: MAX_BATCH_SIZE }, (_, i) => [i, { orderId: big.orderId, token: big.token }])));
  const flooder = async () => {
    while (Date.now() < stop) {
      const res = await fetch(`${base}/trpc/${Array(MAX_BATCH_SIZE).fill('orders.get').join(',')}?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: batch,
      });
      await res.arrayBuffer();
      floodStatuses.set(res.status, (floodStatuses.get(res.status) ?? 0) + 1);
    }
  };

  let next = 0;
  const probeTimes = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await timed('healthz', () => fetch(`${base}/healthz`));
      const qr = guests[next++ % guests.length]!.qrText;
      await timed('scan', () => fetch(`${base}/trpc/checkin.scan`, scanRequest(qr)));
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // The same probes without a flood: what this box answers in right now (other test files share its 2 cores).
  await probeTimes(PROBE_ROUNDS);
  const baseline = p90Of(probes.splice(0));

  // The flood runs until the probes are done (bounded, should this box be very slow).
  let stop = Date.now() + FLOOD_MAX_MS;
  const prober = async () => {
    // The flood's opening burst (its first requests, in flight before any refusal is known, and the reads
    // the limit still allows) is not what this measures: the steady state of a flood is.
    await new Promise((r) => setTimeout(r, RAMP_MS));
    await probeTimes(PROBE_ROUNDS);
    stop = Date.now();
  };
  await Promise.all([prober(), ...Array.from({ length: FLOOD_CLIENTS }, flooder)]);

  // The flood was real and refused: 120 reads a minute for this address, then 429s — answered after a
  // tarpit pause, which is what keeps a looping client from sending thousands of calls a second.
  const floodRequests = [...floodStatuses.values()].reduce((a, b) => a + b, 0);
  const floodCalls = floodRequests * MAX_BATCH_SIZE;
  expect(floodCalls).toBeGreaterThan(500);
  expect(floodStatuses.get(429) ?? 0).toBeGreaterThan(floodRequests * 0.9);

  expect(probes.filter((p) => p.status !== 200)).toEqual([]);
  const p90 = p90Of(probes);
  const slowest = Math.max(...probes.map((p) => p.ms));
  console.info(`flood: ${floodCalls} orders.get calls; ${probes.length} probes, p90 ${p90.toFixed(1)} ms (${baseline.toFixed(1)} ms without the flood), slowest ${slowest.toFixed(1)} ms`);
  // 9 probes in 10 within 100 ms — or, on a box busy with other work, within 3× what it answers without the
  // flood — and none slower than two seconds (a 40-call batch used to freeze the process for 103 s).
  expect(p90).toBeLessThanOrEqual(Math.max(100, 3 * baseline));
  expect(slowest).toBeLessThan(2000);
});
