import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { keysetBatches, textCell, timeCell } from '../../shared/export-format.ts';
import type { Executor } from '../../shared/tx.ts';
import * as catalog from '../catalog/index.ts';
import * as tickets from '../tickets/index.ts';
import { checkins, devices } from './schema.ts';
import { cursorTime } from '../../shared/search.ts';

/* Every scan of an event (failed ones too) as CSV rows, in batches of 1,000 read by keyset: flat memory. */

const scanBatch = (db: Executor, eventId: string, after: [string, string] | null, size: number) =>
  db
    .select({
      row: checkins,
      deviceName: devices.name,
      cursorAt: cursorTime(checkins.recordedAt),
    })
    .from(checkins)
    .leftJoin(devices, eq(devices.id, checkins.deviceId))
    .where(and(eq(checkins.eventId, eventId), after ? sql`(${checkins.recordedAt}, ${checkins.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(asc(checkins.recordedAt), asc(checkins.id))
    .limit(size);

export async function* checkinExportRows(db: Db, eventId: string): AsyncGenerator<string[]> {
  const zone = (await catalog.getEventInfo(db, eventId)).timeZone;
  yield [`Recorded (${zone})`, `Scanned on device (${zone})`, 'Result', 'Direction', 'Method', 'Gate', 'Ticket code', 'Holder', 'Offline', 'Reason'];
  const read = (after: [string, string] | null, size: number) => scanBatch(db, eventId, after, size);
  for await (const batch of keysetBatches(read, (r) => [r.cursorAt, r.row.id] as [string, string])) {
    const ids = [...new Set(batch.flatMap((b) => (b.row.ticketId ? [b.row.ticketId] : [])))];
    const labels = new Map((await tickets.ticketLabels(db, ids)).map((l) => [l.id, l]));
    for (const { row: c, deviceName } of batch) {
      const label = c.ticketId ? labels.get(c.ticketId) : undefined;
      yield [
        timeCell(c.recordedAt, zone), timeCell(c.scannedAt, zone), c.result, c.direction, c.method, textCell(deviceName) || (c.userId ? 'staff login' : ''),
        label?.code ?? '', textCell(label?.attendeeName), c.offline ? 'yes' : 'no', textCell(c.reason),
      ];
    }
  }
}
