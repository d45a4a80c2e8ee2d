import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../shared/tx.ts';
import { rowsOf, type AttemptBy } from './scan-repo.ts';

const iso = (d: Date) => d.toISOString();

/** The add-on as the tickets module has it, and where this ticket's units stand. */
export type RedeemRow = {
  event_id: string | null;
  status: 'valid' | 'void' | null;
  name: string | null;
  quantity: number | null;
  /** This statement's redemption, or the earlier one with the same scanner and nonce; null: none left. */
  redemption_id: string | null;
  redeemed_at: Date | string | null;
  /** Units out after this statement (as the statement saw them when none was taken). */
  redeemed: number;
};

/** The earlier redemption of this add-on by the same scanner with the same nonce (none without a nonce). */
const priorRedemption = (r: AttemptBy & { ticketId: string; addOnId: string; nonce: string | null }) =>
  r.nonce === null
    ? sql`SELECT NULL::uuid AS id, NULL::timestamptz AS redeemed_at WHERE false`
    : sql`SELECT id, redeemed_at FROM add_on_redemptions
          WHERE ticket_id = ${r.ticketId}::uuid AND add_on_id = ${r.addOnId}::uuid AND nonce = ${r.nonce}::text
            AND ${r.deviceId ? sql`device_id = ${r.deviceId}::uuid` : sql`device_id IS NULL AND user_id = ${r.userId}::uuid`}`;

/**
 * Hands out one unit of an add-on of a valid ticket, in one statement (see migration 0650): the
 * ticket's add_on_usage row is bumped only WHERE redeemed < quantity — judged by PostgreSQL on the
 * row's latest version under its lock, so concurrent calls never hand out more units than bought —
 * and the redemption is recorded only when the bump happened. A scanner's retried nonce writes nothing
 * and finds its first redemption. `addOnQuery` is the tickets module's fragment; `eventId` limits a
 * device to its own event. Two concurrent calls with one nonce: the second fails on the nonce's unique
 * index (its bump rolled back with it) and may simply run again.
 */
export async function redeemStatement(
  db: Executor,
  addOnQuery: SQL,
  r: AttemptBy & { id: string; ticketId: string; addOnId: string; eventId: string | null; nonce: string | null; now: Date },
): Promise<RedeemRow> {
  const [row] = await rowsOf<RedeemRow>(
    db,
    sql`WITH a AS (${addOnQuery}),
    allowed AS (SELECT * FROM a WHERE a.status = 'valid' AND (${r.eventId}::uuid IS NULL OR a.event_id = ${r.eventId}::uuid)),
    prior AS (${priorRedemption(r)}),
    taken AS (
      INSERT INTO add_on_usage AS u (ticket_id, add_on_id, event_id, redeemed)
      SELECT ticket_id, add_on_id, event_id, 1 FROM allowed WHERE quantity >= 1 AND NOT EXISTS (SELECT 1 FROM prior)
      ON CONFLICT (ticket_id, add_on_id) DO UPDATE SET redeemed = u.redeemed + 1
        WHERE u.redeemed < (SELECT quantity FROM allowed)
      RETURNING redeemed
    ),
    ins AS (
      INSERT INTO add_on_redemptions (id, ticket_id, add_on_id, event_id, redeemed_at, device_id, user_id, nonce)
      SELECT ${r.id}::uuid, ticket_id, add_on_id, event_id, ${iso(r.now)}::timestamptz, ${r.deviceId}::uuid, ${r.userId}::uuid, ${r.nonce}::text
      FROM allowed WHERE EXISTS (SELECT 1 FROM taken)
      RETURNING id, redeemed_at
    )
    SELECT a.event_id, a.status, a.name, a.quantity,
           COALESCE((SELECT id FROM ins), (SELECT id FROM prior)) AS redemption_id,
           COALESCE((SELECT redeemed_at FROM ins), (SELECT redeemed_at FROM prior)) AS redeemed_at,
           COALESCE((SELECT redeemed FROM taken),
                    (SELECT redeemed FROM add_on_usage WHERE ticket_id = ${r.ticketId}::uuid AND add_on_id = ${r.addOnId}::uuid), 0) AS redeemed
    FROM (SELECT 1) AS one LEFT JOIN a ON true`,
  );
  return row!;
}

export type UndoRow = {
  ticket_id: string;
  add_on_id: string;
  /** When the redemption was undone; null when a concurrent undo committed after this statement began (ask again). */
  undone_at: Date | string | null;
  /** Units out after this statement (or as it found them, when the redemption was undone before). */
  redeemed: number;
};

/**
 * Takes a redemption back and gives its unit back, in one statement: only a live redemption is marked
 * (with who and when), and only a marked one returns its unit, so a repeated or concurrent undo gives
 * one unit back. `eventId` limits a device to its own event. Nothing comes back for an unknown id.
 */
export async function undoRedemption(db: Executor, u: AttemptBy & { redemptionId: string; eventId: string | null; now: Date }) {
  const [row] = await rowsOf<UndoRow>(
    db,
    sql`WITH r AS (
      SELECT ticket_id, add_on_id, undone_at FROM add_on_redemptions
      WHERE id = ${u.redemptionId}::uuid AND (${u.eventId}::uuid IS NULL OR event_id = ${u.eventId}::uuid)
    ),
    gone AS (
      UPDATE add_on_redemptions SET undone_at = ${iso(u.now)}::timestamptz, undone_device_id = ${u.deviceId}::uuid, undone_user_id = ${u.userId}::uuid
      WHERE id = ${u.redemptionId}::uuid AND undone_at IS NULL AND (${u.eventId}::uuid IS NULL OR event_id = ${u.eventId}::uuid)
      RETURNING ticket_id, add_on_id, undone_at
    ),
    back AS (
      UPDATE add_on_usage u SET redeemed = u.redeemed - 1 FROM gone
      WHERE u.ticket_id = gone.ticket_id AND u.add_on_id = gone.add_on_id
      RETURNING u.redeemed
    )
    SELECT r.ticket_id, r.add_on_id, COALESCE((SELECT undone_at FROM gone), r.undone_at) AS undone_at,
           COALESCE((SELECT redeemed FROM back),
                    (SELECT redeemed FROM add_on_usage WHERE ticket_id = r.ticket_id AND add_on_id = r.add_on_id), 0) AS redeemed
    FROM r`,
  );
  return row;
}

/** The add-on (name, quantity) of a ticket, through the tickets module's fragment. */
export async function addOnOf(db: Executor, addOnQuery: SQL) {
  const [row] = await rowsOf<{ name: string; quantity: number }>(db, sql`SELECT name, quantity FROM (${addOnQuery}) AS a`);
  return row;
}
