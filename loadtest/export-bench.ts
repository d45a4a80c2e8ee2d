import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { sql } from 'drizzle-orm';
import { adminSession, seedEvent, seedTickets, startTarget, type Target } from './setup.ts';
import { loadAverage, saveBenchReport } from './bench-output.ts';
import { BUNDLED_SERVER } from '../src/testing/server-process.ts';

/*
 * The attendee CSV export of a big event, against a real server process and PostgreSQL: rows per second,
 * size, and the server's resident memory while it streams. "Flat" means the growth during the export does
 * not scale with the row count: the run exports a tenth of the event first and compares the two growths.
 *
 *   npm run loadtest:export -- [--attendees 100000] [--heap-mb 96]
 */

/** The old-space cap (MB) among node flags, or null without one. */
const heapCapMbOf = (flags: string[] = []) => {
  const flag = flags.findLast((f) => f.startsWith('--max-old-space-size='));
  return flag ? Number(flag.split('=')[1]) : null;
};

const { values: args } = parseArgs({
  options: {
    attendees: { type: 'string', default: '100000' },
    /** The server's V8 heap cap (default: the launchers' own): an export that held its rows would run out of memory and fail. */
    'heap-mb': { type: 'string' },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results') },
  },
});
const ATTENDEES = Number(args.attendees);
if (!Number.isInteger(ATTENDEES) || ATTENDEES < 1000) {
  console.error('usage: npm run loadtest:export -- [--attendees n>=1000]');
  process.exit(2);
}

/** 100 tickets through the order service, the rest copies made by the database (distinct ids, codes, secrets). */
async function seed(target: Target, eventId: string, count: number) {
  await target.database.db.execute(sql`INSERT INTO tickets (id, event_id, order_id, ticket_type_id, ticket_type_name, attendee_name, code, secret, status)
    SELECT gen_random_uuid(), t.event_id, t.order_id, t.ticket_type_id, t.ticket_type_name, 'Attendee ' || g || ' ' || t.attendee_name,
           lpad((1000000 + g)::text, 7, '0'), left(t.secret, 44) || lpad(g::text, 8, 'A') || substr(t.secret, 53), 'valid'
    FROM (SELECT * FROM tickets WHERE event_id = ${eventId}::uuid LIMIT 1) t, generate_series(1, ${count}) AS g`);
  await target.database.db.execute(sql`ANALYZE tickets`);
}

/** Streams one export, parsing it as it arrives, sampling the server's RSS every 50 ms. */
async function exportOnce(target: Target, cookie: string, eventId: string) {
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${target.server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  global.gc?.();
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
  const started = performance.now();
  const res = await fetch(`${target.url}/admin/events/${eventId}/export/attendees.csv`, { headers: { cookie } });
  if (!res.ok || !res.body) throw new Error(`export ${res.status}: ${await res.text()}`);
  let bytes = 0;
  let rows = 0;
  const parser = parse({ bom: true, relax_column_count: false });
  parser.on('data', () => rows++);
  const done = new Promise<void>((resolve, reject) => parser.on('end', resolve).on('error', reject));
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    parser.write(chunk);
  }
  parser.end();
  await done;
  const ms = performance.now() - started;
  clearInterval(sampler);
  return { rows: rows - 1, ms: Math.round(ms), mb: Math.round(bytes / 1e5) / 10, rowsPerSec: Math.round(((rows - 1) / ms) * 1000), rssBeforeMb: Math.round(before), rssGrowthMb: Math.round(peak - before) };
}

async function main() {
  const heap = args['heap-mb'] ? [`--max-old-space-size=${Number(args['heap-mb'])}`] : [];
  const target = await startTarget({ RATE_LIMIT_EXPORTS_PER_MINUTE: '0' }, heap);
  try {
    console.error(`seeding ${ATTENDEES} attendees…`);
    const event = await seedEvent(target.database, 200);
    await seedTickets(target.database, target.url, event, 100);
    const small = await seedEvent(target.database, 200);
    await seedTickets(target.database, target.url, small, 100);
    await seed(target, event.eventId, ATTENDEES - 100);
    await seed(target, small.eventId, Math.round(ATTENDEES / 10) - 100);
    const cookie = await adminSession(target.database, target.url);
    await exportOnce(target, cookie, small.eventId); // warm-up: plans, JIT
    const tenth = await exportOnce(target, cookie, small.eventId);
    const full = await exportOnce(target, cookie, event.eventId);
    if (full.rows !== ATTENDEES) throw new Error(`the export had ${full.rows} rows, expected ${ATTENDEES}`);
    const report = {
      benchmark: 'export',
      attendees: ATTENDEES,
      serverHeapCapMb: args['heap-mb'] ? Number(args['heap-mb']) : heapCapMbOf(BUNDLED_SERVER.flags),
      full,
      tenth,
      // ~1: memory does not grow with the rows (flat); ~10: it holds them.
      rssGrowthRatioFullVsTenth: Math.round(((full.rssGrowthMb + 1) / (tenth.rssGrowthMb + 1)) * 100) / 100,
      loadAverage: loadAverage(),
    };
    saveBenchReport(args.out, 'export', report);
  } finally {
    await target.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
