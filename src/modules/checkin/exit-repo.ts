import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { answerQuery, judgedCtes, judgedRow, loggedCte, type Attempt, type ScanRow, type TicketLookup } from './scan-repo.ts';

/**
 * Exit scans, one statement per batch, shaped like the entry scan (scanStatement): look each ticket
 * up, judge it, mark its holder outside with one conditional write (UPDATE … WHERE exited_at IS NULL:
 * of two exit scans at once exactly one counts), and log each attempt — or, for a nonce its scanner
 * already sent, write nothing and answer with the original verdict. A ticket not checked in or already
 * outside is NOT_INSIDE. `checked_in_at` answers when the holder went out.
 */
export function exitStatement(db: Db, lookup: TicketLookup, a: Attempt, secret: string | null): Promise<ScanRow> {
  return judgedRow(db, 'exit', a, (s) => sql`WITH ${judgedCtes(s)},
  went_out AS (
    UPDATE ticket_checkins tc SET exited_at = verdict.passed_at, exits = tc.exits + 1
    FROM verdict
    WHERE tc.ticket_id = verdict.t_id AND verdict.v = 'admissible' AND verdict.prior_result IS NULL AND tc.exited_at IS NULL
    RETURNING tc.ticket_id, tc.exited_at
  ),
  outcome AS (
    SELECT verdict.*, went_out.exited_at AS won_at,
           CASE WHEN v <> 'admissible' THEN v WHEN went_out.ticket_id IS NOT NULL THEN 'ok' ELSE 'not_inside' END AS result,
           CASE WHEN v <> 'admissible' THEN v_reason WHEN went_out.ticket_id IS NOT NULL THEN NULL
                ELSE 'Not inside: never checked in, or already out' END AS reason
    FROM verdict LEFT JOIN went_out ON went_out.ticket_id = verdict.t_id AND verdict.v = 'admissible' AND verdict.prior_result IS NULL
  ),
  ${loggedCte}
${answerQuery(sql`SELECT NULL::timestamptz AS checked_in_at, NULL::text AS device_name`)}`, lookup, secret);
}
