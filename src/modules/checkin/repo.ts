import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import type { Db } from '../../db/client.ts';
import { cachedNamedRows } from '../../db/named-statements.ts';
import { rowsOf, type AttemptBy } from './scan-repo.ts';
import { devices, ticketCheckins } from './schema.ts';

export type DeviceRow = typeof devices.$inferSelect;

export async function insertDevice(db: Executor, row: typeof devices.$inferInsert) {
  await db.insert(devices).values(row);
}

export const devicesOfEvent = (db: Executor, eventId: string) =>
  db.select().from(devices).where(eq(devices.eventId, eventId)).orderBy(asc(devices.createdAt), asc(devices.name));

/** A device that may scan now: known token, not revoked. One probe of the token_hash unique index, on every request. */
export async function findActiveDevice(db: Db, tokenHash: string) {
  const [row] = await cachedNamedRows<{ id: string; eventId: string; name: string }>(
    db,
    'active-device',
    () => sql`SELECT ${devices.id} AS "id", ${devices.eventId} AS "eventId", ${devices.name} AS "name" FROM ${devices}
        WHERE ${devices.tokenHash} = ${sql.placeholder('tokenHash')}::text AND ${devices.revokedAt} IS NULL`,
    { tokenHash },
  );
  return row;
}

/** Revokes once; returns the device (revoked now or earlier), or undefined when there is none. */
export async function revokeDevice(db: Executor, deviceId: string, now: Date) {
  await db
    .update(devices)
    .set({ revokedAt: now })
    .where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)));
  const [row] = await db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
  return row;
}

/** Revokes every device of an event still active; how many were. */
export async function revokeDevicesOfEvent(db: Executor, eventId: string, now: Date): Promise<number> {
  const rows = await db
    .update(devices)
    .set({ revokedAt: now })
    .where(and(eq(devices.eventId, eventId), isNull(devices.revokedAt)))
    .returning({ id: devices.id });
  return rows.length;
}

/** Per ticket type: tickets checked in (ever, not undone), inside now (not exited), and exits counted. */
export const checkedInCounts = (db: Executor, eventId: string) =>
  db
    .select({
      ticketTypeId: ticketCheckins.ticketTypeId,
      checkedIn: count(),
      inside: sql<number>`count(*) FILTER (WHERE ${ticketCheckins.exitedAt} IS NULL)::int`,
      exits: sql<number>`COALESCE(sum(${ticketCheckins.exits}), 0)::int`,
    })
    .from(ticketCheckins)
    .where(eq(ticketCheckins.eventId, eventId))
    .groupBy(ticketCheckins.ticketTypeId);

const iso = (d: Date) => d.toISOString();

/**
 * Takes a check-in back and records who and when, in one statement (the delete and its record commit
 * together). `eventId` limits a device to its own event. Returns nothing when the ticket was not checked in.
 */
export async function undoCheckin(db: Executor, u: AttemptBy & { id: string; ticketId: string; eventId: string | null; now: Date }) {
  const [row] = await rowsOf<{ checked_in_at: Date | string; undone_at: Date | string }>(
    db,
    sql`WITH gone AS (
      DELETE FROM ticket_checkins WHERE ticket_id = ${u.ticketId}::uuid AND (${u.eventId}::uuid IS NULL OR event_id = ${u.eventId}::uuid)
      RETURNING ticket_id, event_id, checkin_id, checked_in_at
    )
    INSERT INTO checkin_undos (id, ticket_id, event_id, checkin_id, checked_in_at, undone_at, device_id, user_id)
    SELECT ${u.id}::uuid, ticket_id, event_id, checkin_id, checked_in_at, ${iso(u.now)}::timestamptz, ${u.deviceId}::uuid, ${u.userId}::uuid
    FROM gone
    RETURNING checked_in_at, undone_at`,
  );
  return row;
}

/**
 * Counts one more code guess against each key, atomically across processes, unless the key is cooling
 * off. A key whose misses exceed its limit (`maxMissesPerIp` for 'ip:' keys, else `maxMisses`) within
 * `windowMs` starts cooling off until `now + cooldownMs`.
 * Returns the latest cooling-off end among the keys (null when none is blocked).
 */
export async function countGuess(
  db: Executor,
  keys: string[],
  opts: { now: Date; windowMs: number; maxMisses: number; maxMissesPerIp: number; cooldownMs: number },
): Promise<Date | null> {
  const now = iso(opts.now);
  const windowFloor = iso(new Date(opts.now.getTime() - opts.windowMs));
  const cooldownUntil = iso(new Date(opts.now.getTime() + opts.cooldownMs));
  const values = sql.join(
    keys.map((k) => sql`(${k}::text, ${now}::timestamptz, 1, NULL::timestamptz)`),
    sql`, `,
  );
  const rows = await rowsOf<{ blocked_until: Date | string | null }>(
    db,
    sql`INSERT INTO code_guess_limits AS l (key, window_start, misses, blocked_until) VALUES ${values}
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN l.blocked_until > ${now}::timestamptz THEN l.window_start
                          WHEN l.window_start <= ${windowFloor}::timestamptz THEN ${now}::timestamptz ELSE l.window_start END,
      misses = CASE WHEN l.blocked_until > ${now}::timestamptz THEN l.misses
                    WHEN l.window_start <= ${windowFloor}::timestamptz THEN 1 ELSE l.misses + 1 END,
      blocked_until = CASE WHEN l.blocked_until > ${now}::timestamptz THEN l.blocked_until
                           WHEN l.window_start > ${windowFloor}::timestamptz
                                AND l.misses + 1 > CASE WHEN l.key LIKE 'ip:%' THEN ${opts.maxMissesPerIp}::int ELSE ${opts.maxMisses}::int END
                             THEN ${cooldownUntil}::timestamptz
                           ELSE NULL END
    RETURNING blocked_until`,
  );
  const blocked = rows
    .map((r) => (r.blocked_until ? new Date(r.blocked_until) : null))
    .filter((d): d is Date => d !== null && d > opts.now);
  return blocked.length ? new Date(Math.max(...blocked.map((d) => d.getTime()))) : null;
}

/** Gives back a guess that hit a ticket: only misses count against a scanner. */
export async function refundGuess(db: Executor, keys: string[], now: Date) {
  await db.execute(
    sql`UPDATE code_guess_limits SET misses = GREATEST(misses - 1, 0)
        WHERE key IN (${sql.join(keys.map((k) => sql`${k}::text`), sql`, `)})
          AND (blocked_until IS NULL OR blocked_until <= ${iso(now)}::timestamptz)`,
  );
}

/** The current check-in of each of these tickets (if any), with the device's name. */
export const checkinStatesOf = (db: Executor, ticketIds: string[]) =>
  ticketIds.length === 0
    ? Promise.resolve([])
    : db
        .select({
          ticketId: ticketCheckins.ticketId,
          checkedInAt: ticketCheckins.checkedInAt,
          exitedAt: ticketCheckins.exitedAt,
          deviceName: devices.name,
          userId: ticketCheckins.userId,
        })
        .from(ticketCheckins)
        .leftJoin(devices, eq(devices.id, ticketCheckins.deviceId))
        .where(inArray(ticketCheckins.ticketId, ticketIds));
