import { sql } from 'drizzle-orm';
import { getPublicEvent } from '../modules/catalog/index.ts';
import { getOrder } from '../modules/orders/index.ts';
import { latestPaymentOf } from '../modules/payments/index.ts';
import { ticketsOfOrder } from '../modules/tickets/index.ts';
import type { AppDeps } from '../server/context.ts';

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

/** Everything an order's payment events can change, in a comparable form (ids and times left out). */
export async function orderSnapshot(deps: AppDeps, access: { orderId: string; token: string }) {
  const order = await getOrder(deps, access);
  const messages = await deps.db.execute(
    sql`SELECT type FROM outbox_messages WHERE payload->>'orderId' = ${access.orderId} ORDER BY created_at, type`,
  );
  const changes = await deps.db.execute(
    sql`SELECT from_status, to_status, actor FROM order_status_changes WHERE order_id = ${access.orderId} ORDER BY at, to_status`,
  );
  const event = await getPublicEvent(deps.db, order.event.id, deps.clock());
  return {
    status: order.status,
    payment: (await latestPaymentOf(deps.db, access.orderId))?.status,
    tickets: (await ticketsOfOrder(deps.db, access.orderId)).map((t) => t.status),
    messages: rowsOf(messages).map((r) => r.type),
    changes: rowsOf(changes).map((r) => `${String(r.from_status ?? '-')}→${String(r.to_status)} by ${String(r.actor)}`),
    available: event.ticketTypes[0]!.available,
  };
}
