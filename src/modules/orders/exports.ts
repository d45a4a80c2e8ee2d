import type { Db } from '../../db/client.ts';
import { keysetBatches, moneyCell, textCell, timeCell } from '../../shared/export-format.ts';
import * as catalog from '../catalog/index.ts';
import * as checkin from '../checkin/index.ts';
import * as tickets from '../tickets/index.ts';
import * as repo from './repo.ts';

/*
 * CSV rows of an event's orders and attendees, produced in batches of 1,000 read by keyset, so an export of
 * 100,000 rows holds one batch in memory however large the event. The HTTP layer turns rows into CSV.
 */

export async function* orderExportRows(db: Db, eventId: string): AsyncGenerator<string[]> {
  const event = await catalog.getEventInfo(db, eventId);
  const zone = event.timeZone;
  yield ['Order code', 'Status', 'Buyer name', 'Buyer email', 'Buyer phone', 'Total', 'Currency', `Placed (${zone})`, `Paid (${zone})`, `Closed (${zone})`];
  for await (const batch of keysetBatches((after: [string, string] | null, size) => repo.orderBatch(db, eventId, after, size), (r) => [r.cursorAt, r.row.id] as [string, string])) {
    for (const { row: o } of batch) {
      yield [o.code, o.status, textCell(o.customerName), textCell(o.customerEmail), o.customerPhone ?? '', moneyCell(o.totalCents, o.currency), o.currency, timeCell(o.createdAt, zone), timeCell(o.paidAt, zone), timeCell(o.closedAt, zone)];
    }
  }
}

export async function* attendeeExportRows(db: Db, eventId: string): AsyncGenerator<string[]> {
  const zone = (await catalog.getEventInfo(db, eventId)).timeZone;
  yield ['Ticket code', 'Holder', 'Ticket type', 'Ticket status', 'Order code', 'Order status', 'Buyer name', 'Buyer email', `Checked in (${zone})`, 'Checked in at', 'Inside now'];
  const read = (after: [string, string] | null, size: number) => tickets.searchTickets(db, { eventId, code: null, words: null, after, limit: size });
  for await (const batch of keysetBatches(read, (r) => r.cursor)) {
    const [buyers, states] = await Promise.all([
      repo.ordersByIds(db, [...new Set(batch.map((b) => b.ticket.orderId))]),
      checkin.checkinStates(db, batch.map((b) => b.ticket.id)),
    ]);
    const orderOf = new Map(buyers.map((o) => [o.id, o]));
    for (const { ticket: t } of batch) {
      const o = orderOf.get(t.orderId);
      const state = states.get(t.id);
      yield [
        t.code, textCell(t.attendeeName), textCell(t.ticketTypeName), t.status, o?.code ?? '', o?.status ?? '', textCell(o?.customerName), textCell(o?.customerEmail),
        timeCell(state?.checkedInAt, zone), state?.where ?? '', state ? (state.exitedAt ? 'no' : 'yes') : '',
      ];
    }
  }
}
