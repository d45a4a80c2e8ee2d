import { sql } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import * as tickets from '../tickets/index.ts';
import { rowsOf } from './scan-repo.ts';

/** A ticket as an offline scanner keeps it (built by the database as JSON: one row per page). */
export type SnapshotTicketRow = {
  id: string;
  code: string;
  status: 'valid' | 'void';
  attendeeName: string;
  ticketTypeName: string;
  salt: string;
  addOns: { id: string; name: string; quantity: number }[];
  /** Units of the add-ons out now, by add-on id (null: none). */
  redeemed: Record<string, number> | null;
  checkedInAt: string | null;
  exitedAt: string | null;
};

export type SnapshotPage = {
  /** pg_snapshot_xmin of this statement's snapshot: the next delta's cursor (see migration 0600). */
  horizon: string;
  settings: { allowReentry: boolean; admitUnknownOffline: boolean } | null;
  tickets: SnapshotTicketRow[];
};

/**
 * One page of an event's snapshot in one statement: every ticket after `afterId` (full), or only those
 * whose ticket row, check-in, undo or add-on units were written by transaction `sinceXid` or later
 * (delta: four index range scans, so a delta with nothing new reads no ticket at all), joined with their gate state, plus
 * the cursor and the event's gate settings taken from the same snapshot.
 */
export async function snapshotPage(
  db: Executor,
  q: { eventId: string; sinceXid: string | null; afterId: string; limit: number },
): Promise<SnapshotPage> {
  const changed = q.sinceXid
    ? sql`${tickets.changedTicketIdsQuery(q.eventId, q.sinceXid)}
        UNION SELECT ticket_id FROM ticket_checkins WHERE event_id = ${q.eventId}::uuid AND change_xid >= ${q.sinceXid}::bigint
        UNION SELECT ticket_id FROM checkin_undos WHERE event_id = ${q.eventId}::uuid AND change_xid >= ${q.sinceXid}::bigint
        UNION SELECT ticket_id FROM add_on_usage WHERE event_id = ${q.eventId}::uuid AND change_xid >= ${q.sinceXid}::bigint`
    : undefined;
  const page = tickets.gateSnapshotQuery({ eventId: q.eventId, afterId: q.afterId, limit: q.limit, ids: changed });
  const [row] = await rowsOf<SnapshotPage>(
    db,
    sql`WITH page AS (${page})
SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
       (SELECT json_build_object('allowReentry', g.allow_reentry, 'admitUnknownOffline', g.admit_unknown_offline)
          FROM gate_settings g WHERE g.event_id = ${q.eventId}::uuid) AS settings,
       COALESCE((SELECT json_agg(json_build_object(
           'id', p.id, 'code', p.code, 'status', p.status, 'attendeeName', p.attendee_name,
           'ticketTypeName', p.ticket_type_name, 'salt', p.qr_salt, 'addOns', p.add_ons,
           'redeemed', (SELECT json_object_agg(u.add_on_id, u.redeemed) FROM add_on_usage u WHERE u.ticket_id = p.id),
           'checkedInAt', tc.checked_in_at, 'exitedAt', tc.exited_at) ORDER BY p.id)
         FROM page p LEFT JOIN ticket_checkins tc ON tc.ticket_id = p.id), '[]'::json) AS tickets`,
  );
  return row!;
}

export type ConflictRow = { holder_at: Date | string; holder_device: string | null };

/**
 * Records that this device's offline admission (its attempt with `nonce`, judged ALREADY CHECKED IN)
 * lost to another scanner's check-in, once per device and nonce, and answers with the check-in that
 * stayed. Returns nothing when the holder is this same device (it knew, so it did not admit twice).
 */
export async function recordConflict(db: Executor, c: { id: string; deviceId: string; nonce: string; now: Date }) {
  const [row] = await rowsOf<ConflictRow>(
    db,
    sql`WITH ins AS (
      INSERT INTO checkin_conflicts (id, event_id, ticket_id, checkin_id, device_id, nonce, scanned_at,
                                     holder_checkin_id, holder_device_id, holder_user_id, holder_at, recorded_at)
      SELECT ${c.id}::uuid, a.event_id, a.ticket_id, a.id, a.device_id, a.nonce, COALESCE(a.scanned_at, a.recorded_at),
             tc.checkin_id, tc.device_id, tc.user_id, tc.checked_in_at, ${c.now.toISOString()}::timestamptz
      FROM checkins a JOIN ticket_checkins tc ON tc.ticket_id = a.ticket_id
      WHERE a.device_id = ${c.deviceId}::uuid AND a.nonce = ${c.nonce}::text AND a.result = 'already_checked_in'
        AND tc.device_id IS DISTINCT FROM a.device_id
      ON CONFLICT (device_id, nonce) DO NOTHING
      RETURNING holder_at, holder_device_id
    ),
    found AS (
      SELECT holder_at, holder_device_id FROM ins
      UNION ALL
      SELECT holder_at, holder_device_id FROM checkin_conflicts WHERE device_id = ${c.deviceId}::uuid AND nonce = ${c.nonce}::text
    )
    SELECT f.holder_at, d.name AS holder_device FROM found f LEFT JOIN devices d ON d.id = f.holder_device_id LIMIT 1`,
  );
  return row;
}

export type ConflictListRow = {
  id: string;
  ticket_id: string;
  device_name: string;
  scanned_at: Date | string;
  holder_device_name: string | null;
  holder_user_id: string | null;
  holder_at: Date | string;
  recorded_at: Date | string;
};

/** An event's conflicts, newest first (bounded: an organizer's list, not an export). */
export const conflictsOfEvent = (db: Executor, eventId: string, limit: number) =>
  rowsOf<ConflictListRow>(
    db,
    sql`SELECT c.id, c.ticket_id, d.name AS device_name, c.scanned_at, hd.name AS holder_device_name, c.holder_user_id,
               c.holder_at, c.recorded_at
        FROM checkin_conflicts c JOIN devices d ON d.id = c.device_id LEFT JOIN devices hd ON hd.id = c.holder_device_id
        WHERE c.event_id = ${eventId}::uuid ORDER BY c.recorded_at DESC, c.id LIMIT ${limit}::int`,
  );

export async function upsertGateSettings(db: Executor, s: { eventId: string; allowReentry: boolean; admitUnknownOffline: boolean; now: Date }) {
  await db.execute(
    sql`INSERT INTO gate_settings (event_id, allow_reentry, admit_unknown_offline, updated_at)
        VALUES (${s.eventId}::uuid, ${s.allowReentry}::boolean, ${s.admitUnknownOffline}::boolean, ${s.now.toISOString()}::timestamptz)
        ON CONFLICT (event_id) DO UPDATE SET allow_reentry = EXCLUDED.allow_reentry,
          admit_unknown_offline = EXCLUDED.admit_unknown_offline, updated_at = EXCLUDED.updated_at`,
  );
}

export async function gateSettingsOf(db: Executor, eventId: string) {
  const [row] = await rowsOf<{ allow_reentry: boolean; admit_unknown_offline: boolean }>(
    db,
    sql`SELECT allow_reentry, admit_unknown_offline FROM gate_settings WHERE event_id = ${eventId}::uuid`,
  );
  return { allowReentry: row?.allow_reentry ?? false, admitUnknownOffline: row?.admit_unknown_offline ?? false };
}
