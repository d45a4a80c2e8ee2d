import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bound, deviceCtes, logAttemptQuery, priorAttempt, redeemedColumn, scanRows, ticketCte, verdictColumns, verdictQuery, type Attempt, type ScanRow, type TicketLookup } from './scan-repo.ts';

/**
 * An exit scan in one statement, shaped like the entry scan (scanStatement): look the ticket up, judge
 * it, mark its holder outside with one conditional write (UPDATE … WHERE exited_at IS NULL: of two
 * exit scans at once exactly one counts), and log the attempt — or, for a nonce this scanner already
 * sent, write nothing and answer with the original verdict. A ticket not checked in or already outside
 * is NOT_INSIDE. `checked_in_at` answers when the holder went out.
 */
export async function exitStatement(db: Db, lookup: TicketLookup, a: Attempt, secret: string | null): Promise<ScanRow> {
  const [row] = await scanRows<ScanRow>(
    db,
    'exit',
    a,
    () => sql`WITH ${deviceCtes(a)}
  prior AS (${priorAttempt(a)}),
  t AS (${ticketCte(lookup)}),
  verdict AS (${verdictQuery}),
  went_out AS (
    UPDATE ticket_checkins SET exited_at = ${bound.passedAt}::timestamptz, exits = exits + 1
    WHERE ticket_id = (SELECT t.id FROM t, verdict WHERE verdict.v = 'admissible')
      AND exited_at IS NULL AND NOT EXISTS (SELECT 1 FROM prior)
    RETURNING exited_at
  ),
  outcome AS (
    SELECT CASE WHEN verdict.v <> 'admissible' THEN verdict.v WHEN EXISTS (SELECT 1 FROM went_out) THEN 'ok' ELSE 'not_inside' END AS result,
           CASE WHEN verdict.v <> 'admissible' THEN verdict.reason WHEN EXISTS (SELECT 1 FROM went_out) THEN NULL
                ELSE 'Not inside: never checked in, or already out' END AS reason
    FROM verdict
  ),
  logged AS (${logAttemptQuery(a)})
SELECT ${verdictColumns},
       ${redeemedColumn},
       COALESCE((SELECT exited_at FROM went_out), (SELECT recorded_at FROM prior WHERE result = 'ok')) AS checked_in_at,
       NULL::timestamptz AS holder_at, NULL::text AS holder_device, (SELECT event_id FROM dev) AS device_event_id
FROM outcome`,
    { secret, lookup },
  );
  return row!;
}
