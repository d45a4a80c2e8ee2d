import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createDevice } from '../src/modules/checkin/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { seedEvent, seedTickets, startTarget, type Target } from './setup.ts';
import { loadAverage, saveBenchReport } from './bench-output.ts';

/*
 * The offline gate's snapshot: how long an enrolled phone takes to download a big event's ticket list
 * (all pages, as the scanner page does), how big it is, and what a delta costs — with nothing new (the
 * every-few-seconds case) and after a burst of check-ins. Against a real server process and PostgreSQL;
 * a no-op tRPC request in the same run is the ceiling the per-request times are compared with.
 *
 *   npm run loadtest:snapshot -- [--tickets 100000] [--deltas 50]
 */
const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    deltas: { type: 'string', default: '50' },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results') },
  },
});
const TICKETS = Number(args.tickets);
const DELTAS = Number(args.deltas);
if (!Number.isInteger(TICKETS) || TICKETS < 100 || !Number.isInteger(DELTAS) || DELTAS < 1) {
  console.error('usage: npm run loadtest:snapshot -- [--tickets n>=100] [--deltas n>=1]');
  process.exit(2);
}

/**
 * `count` tickets: 100 issued through the order service (real secrets, add-ons as issued), the rest
 * copies of them made by the database (distinct ids, codes and secrets) — seeding 100,000 through
 * orders would take minutes and measures nothing here.
 */
async function seed(target: Target, count: number) {
  const event = await seedEvent(target.database, count + 100);
  await seedTickets(target.database, target.url, event, 100);
  await target.database.db.execute(sql`INSERT INTO tickets (id, event_id, order_id, ticket_type_id, ticket_type_name, attendee_name, code, secret, status)
    SELECT gen_random_uuid(), t.event_id, t.order_id, t.ticket_type_id, t.ticket_type_name, 'Attendee ' || g || ' ' || t.attendee_name,
           lpad((1000000 + g)::text, 7, '0'), left(t.secret, 44) || lpad(g::text, 8, 'A') || substr(t.secret, 53), 'valid'
    FROM (SELECT * FROM tickets WHERE event_id = ${event.eventId}::uuid LIMIT 1) t, generate_series(1, ${count - 100}) AS g`);
  await target.database.db.execute(sql`ANALYZE tickets`);
  const { token } = await createDevice(target.database.db, { eventId: event.eventId, name: 'Bench gate' }, null, systemClock());
  return { eventId: event.eventId, token };
}

async function call(target: Target, token: string, input: unknown) {
  const started = performance.now();
  const res = await fetch(`${target.url}/trpc/checkin.snapshot?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`snapshot ${res.status}: ${text.slice(0, 300)}`);
  const data = (JSON.parse(text) as { result: { data: { cursor: string; more: boolean; tickets: { id: string }[] } } }).result.data;
  return { ms, bytes: text.length, data };
}

/** Every page of a full download or a delta, as the scanner page fetches them (one after another). */
async function download(target: Target, token: string, eventId: string, cursor?: string) {
  let after: string | undefined;
  let pages = 0, bytes = 0, tickets = 0, firstCursor: string | undefined;
  const started = performance.now();
  for (;;) {
    const page = await call(target, token, { eventId, cursor, after });
    firstCursor ??= page.data.cursor;
    pages++;
    bytes += page.bytes;
    tickets += page.data.tickets.length;
    if (!page.data.more) break;
    after = page.data.tickets.at(-1)!.id;
  }
  return { ms: Math.round(performance.now() - started), pages, bytes, tickets, cursor: firstCursor! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function noopMs(target: Target, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await (await fetch(`${target.url}/trpc/health.ping`)).text();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function main() {
  // One device makes every call here, far more than a phone's minute allows: the limiter is not what is measured.
  const target = await startTarget({ RATE_LIMIT_GATE_SNAPSHOTS_PER_MINUTE: '0' });
  try {
    console.error(`seeding ${TICKETS} tickets…`);
    const { eventId, token } = await seed(target, TICKETS);
    await download(target, token, eventId); // warm-up: plans, caches, JIT
    const full = await download(target, token, eventId);
    if (full.tickets !== TICKETS) throw new Error(`full snapshot had ${full.tickets} tickets, expected ${TICKETS}`);

    // Nothing new: what every phone asks every few seconds.
    let cursor = full.cursor;
    const empty: number[] = [];
    let emptyBytes = 0;
    for (let i = 0; i < DELTAS; i++) {
      const d = await download(target, token, eventId, cursor);
      empty.push(d.ms);
      emptyBytes = d.bytes;
      cursor = d.cursor;
    }
    const noop = await noopMs(target, DELTAS);

    // A burst of 1,000 check-ins (or 1 %), then one delta picks exactly those up (plus any overlap).
    const burst = Math.min(1000, Math.ceil(TICKETS / 100));
    await target.database.db.execute(sql`INSERT INTO ticket_checkins (ticket_id, event_id, ticket_type_id, checkin_id, checked_in_at)
      SELECT id, event_id, ticket_type_id, gen_random_uuid(), now() FROM tickets WHERE event_id = ${eventId}::uuid LIMIT ${burst}`);
    const afterBurst = await download(target, token, eventId, cursor);

    const report = {
      benchmark: 'snapshot',
      tickets: TICKETS,
      full: { ms: full.ms, pages: full.pages, mb: round(full.bytes / 1e6), bytesPerTicket: Math.round(full.bytes / full.tickets), ticketsPerSec: Math.round((full.tickets / full.ms) * 1000) },
      emptyDelta: { medianMs: round(median(empty)), bytes: emptyBytes, vsNoopTrpcRequest: round(median(empty) / noop) },
      deltaAfterCheckins: { checkins: burst, ms: afterBurst.ms, tickets: afterBurst.tickets, kb: round(afterBurst.bytes / 1e3, 1) },
      ceiling: { noopTrpcRequestMedianMs: round(noop) },
      loadAverage: loadAverage(),
    };
    saveBenchReport(args.out, 'snapshot', report);
  } finally {
    await target.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
