import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { gateCounts } from './service.ts';

/*
 * The gate side of the live control room: counts per ticket type, scans per minute per device, results
 * (duplicates, invalid), arrivals per 5 minutes. A handful of indexed aggregates over one event.
 */

const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;
const ARRIVAL_BUCKET_MINUTES = 5;

export async function gateLive(db: Db, eventId: string, now: Date) {
  const fiveMinutesAgo = new Date(now.getTime() - 5 * 60_000);
  const minuteAgo = new Date(now.getTime() - 60_000);
  const [counts, devices, results, arrivals] = await Promise.all([
    gateCounts(db, eventId),
    db.execute(sql`SELECT coalesce(d.name, 'staff login') AS name,
        count(*) FILTER (WHERE c.recorded_at > ${minuteAgo.toISOString()}::timestamptz)::int AS last_minute,
        count(*)::int AS last_five_minutes
      FROM checkins c LEFT JOIN devices d ON d.id = c.device_id
      WHERE c.event_id = ${eventId}::uuid AND c.recorded_at > ${fiveMinutesAgo.toISOString()}::timestamptz
      GROUP BY 1 ORDER BY 1`),
    db.execute(sql`SELECT result, count(*)::int AS n FROM checkins WHERE event_id = ${eventId}::uuid GROUP BY result`),
    db.execute(sql`SELECT date_bin(${`${ARRIVAL_BUCKET_MINUTES} minutes`}::interval, recorded_at, '2000-01-01T00:00:00Z'::timestamptz) AS bucket, count(*)::int AS n
      FROM checkins WHERE event_id = ${eventId}::uuid AND result = 'ok' AND direction = 'in'
      GROUP BY 1 ORDER BY 1 DESC LIMIT 72`),
  ]);
  const byResult = new Map(rows<{ result: string; n: number }>(results).map((r) => [r.result, Number(r.n)]));
  const total = [...byResult.values()].reduce((a, b) => a + b, 0);
  const gates = rows<{ name: string; last_minute: number; last_five_minutes: number }>(devices).map((d) => ({
    name: d.name,
    lastMinute: Number(d.last_minute),
    perMinute: Math.round((Number(d.last_five_minutes) / 5) * 10) / 10,
  }));
  const scansPerMinute = gates.reduce((n, g) => n + g.perMinute, 0);
  const notYetIn = Math.max(0, counts.total - counts.checkedIn);
  return {
    ...counts,
    gates,
    scans: { total, ok: byResult.get('ok') ?? 0, duplicates: byResult.get('already_checked_in') ?? 0, refused: total - (byResult.get('ok') ?? 0) - (byResult.get('already_checked_in') ?? 0) },
    arrivals: rows<{ bucket: Date | string; n: number }>(arrivals)
      .map((a) => ({ at: new Date(a.bucket).toISOString(), count: Number(a.n) }))
      .reverse(),
    arrivalBucketMinutes: ARRIVAL_BUCKET_MINUTES,
    // Rough: the tickets not in yet at the pace of the last five minutes (null while nobody scans).
    queueClearsInMinutes: scansPerMinute > 0 ? Math.ceil(notYetIn / scansPerMinute) : null,
  };
}
