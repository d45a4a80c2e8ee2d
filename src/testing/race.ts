import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { postTrpc, type TrpcReply } from './http.ts';
import { queryRows } from './db.ts';

/**
 * Sends all `inputs` to orders.create at once, round-robin over `servers` (separate processes), and
 * tallies the answers by status and appCode, e.g. { '200': 100, '409 SOLD_OUT': 200 }.
 */
export async function raceOrders(servers: string[], inputs: unknown[]) {
  const replies = await Promise.all(inputs.map((input, i) => postTrpc(servers[i % servers.length]!, 'orders.create', input)));
  const tally: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status === 200 ? '200' : `${r.status} ${r.body?.error?.data.appCode ?? '?'}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  const serverErrors = replies.filter((r) => r.status >= 500).map((r: TrpcReply) => r.body?.error?.message);
  return { replies, tally, serverErrors };
}

/**
 * The capacity books of one item as the database has them: `taken` on the item row, units in live
 * holds (held or sold), and tickets issued for it (for add-ons: add-on units on tickets).
 */
export async function capacityBooks(db: Db, kind: 'ticket_type' | 'add_on', itemId: string) {
  const table = kind === 'ticket_type' ? sql`ticket_types` : sql`add_ons`;
  const [item] = await queryRows<{ taken: number; capacity: number | null }>(
    db,
    sql`select taken, capacity from ${table} where id = ${itemId}`,
  );
  const [holds] = await queryRows<{ held: number; sold: number }>(
    db,
    sql`select coalesce(sum(quantity) filter (where status = 'held'), 0)::int as held,
               coalesce(sum(quantity) filter (where status = 'sold'), 0)::int as sold
        from holds where item_id = ${itemId}`,
  );
  const [issued] = await queryRows<{ n: number }>(
    db,
    kind === 'ticket_type'
      ? sql`select count(*)::int as n from tickets where ticket_type_id = ${itemId}`
      : sql`select coalesce(sum(quantity), 0)::int as n from ticket_add_ons where add_on_id = ${itemId}`,
  );
  return { taken: item!.taken, capacity: item!.capacity, held: holds!.held, sold: holds!.sold, issued: issued!.n };
}

/** Orders of an event by status, e.g. { paid: 100 }. */
export async function orderStatusCounts(db: Db, eventId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from orders where event_id = ${eventId} group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
