import { formatMoney } from '../../../../shared/money.ts';
import type { RouterOutputs } from '../../../trpc.ts';
import { formatLocal } from '../../../ui/format.ts';

type Detail = RouterOutputs['admin']['getOrder'];

/** The money, the messages and every change of one order, for its organizer. */
export function OrderHistory({ order }: { order: Detail }) {
  return (
    <>
      <h2>Payments</h2>
      <ul>
        {order.payments.map((p) => (
          <li key={p.id}>
            {p.provider}: {formatMoney(p.amountCents, p.currency)} — {p.status}
          </li>
        ))}
        {order.refunds.map((r) => (
          <li key={r.id}>
            Refunded {formatMoney(r.amountCents, r.currency)} on {formatLocal(r.createdAt)}
            {r.ticketIds.length > 0 && ` (${r.ticketIds.length} ticket${r.ticketIds.length === 1 ? '' : 's'})`}
            {r.reason && ` — ${r.reason}`}
          </li>
        ))}
        {order.payments.length === 0 && <li>No payment (free order).</li>}
      </ul>
      <h2>Messages</h2>
      <ul>
        {order.notifications.map((n) => (
          <li key={n.outboxId}>
            {n.type} ({formatLocal(n.createdAt)}): {n.status}
            {n.deliveries.map((d) => (
              <div key={`${d.channel}-${d.recipient}`}>
                <small>
                  {d.channel} to {d.recipient}: {d.status}
                  {d.sentAt && ` ${formatLocal(d.sentAt)}`}
                  {d.lastError && ` — ${d.lastError}`}
                </small>
              </div>
            ))}
          </li>
        ))}
        {order.notifications.length === 0 && <li>None.</li>}
      </ul>
      <h2>History</h2>
      <ol>
        {order.history.map((h, i) => (
          <li key={i}>
            {formatLocal(h.at)}: {h.from === h.to ? h.reason : `${h.from ?? 'new'} → ${h.to}${h.reason ? ` (${h.reason})` : ''}`} — {h.actor}
          </li>
        ))}
      </ol>
    </>
  );
}
