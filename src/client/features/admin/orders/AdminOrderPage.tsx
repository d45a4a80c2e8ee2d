import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { formatMoney, parseMajorUnits } from '../../../../shared/money.ts';
import { apiError, trpc, type RouterOutputs } from '../../../trpc.ts';
import { formatLocal } from '../../../ui/format.ts';
import { QueryView } from '../../../ui/Status.tsx';
import { EventTabs } from '../EventTabs.tsx';
import { useCanEdit } from '../../auth/AdminGate.tsx';
import { OrderHistory } from './OrderHistory.tsx';
import { AuditList } from '../AuditList.tsx';
import './orders.css';

type Detail = RouterOutputs['admin']['getOrder'];

/** One order for its organizer: tickets (refund some, rename holders), payments and refunds, messages, history. */
export function AdminOrderPage() {
  const { eventId = '', orderId = '' } = useParams();
  const order = trpc.admin.getOrder.useQuery({ orderId });
  return (
    <section className="order-detail">
      <p>
        <Link to={`/admin/events/${eventId}/orders`}>← Orders</Link>
      </p>
      <EventTabs eventId={eventId} />
      <QueryView query={order} loading="Loading order…">
        {(o) => <OrderDetail order={o} />}
      </QueryView>
    </section>
  );
}

function OrderDetail({ order }: { order: Detail }) {
  const utils = trpc.useUtils();
  const refresh = () => utils.admin.getOrder.invalidate({ orderId: order.id });
  const refund = trpc.admin.refundOrder.useMutation({ onSuccess: refresh });
  const resend = trpc.admin.resendOrderTickets.useMutation({ onSuccess: refresh });
  const rename = trpc.admin.renameTicketHolder.useMutation({ onSuccess: refresh });
  const [chosen, setChosen] = useState<string[]>([]);
  const [amount, setAmount] = useState('');
  const canEdit = useCanEdit();
  // Viewers see the order; only admins get the controls that change it.
  const paid = order.status === 'paid' && canEdit;
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  const refundTickets = () => {
    const reason = window.prompt(`Refund ${chosen.length} ticket(s)? They stop working at once.\nReason (optional):`);
    if (reason === null) return;
    refund.mutate({ orderId: order.id, ticketIds: chosen, reason: reason || undefined }, { onSuccess: () => setChosen([]) });
  };
  const refundAmount = () => {
    const cents = parseMajorUnits(amount, order.currency);
    if (cents === null || cents <= 0) return window.alert('Enter an amount such as 12.50');
    refund.mutate({ orderId: order.id, amountCents: cents }, { onSuccess: () => setAmount('') });
  };
  const refundAll = () => {
    const reason = window.prompt(`Refund order ${order.code} in full? Its tickets stop working at once.\nReason (optional):`);
    if (reason !== null) refund.mutate({ orderId: order.id, reason: reason || undefined });
  };
  const renameHolder = (ticketId: string, current: string) => {
    const name = window.prompt('Name of the ticket holder:', current);
    if (name && name.trim() !== current) rename.mutate({ orderId: order.id, ticketId, name: name.trim() });
  };

  return (
    <>
      <h1>
        Order {order.code} <span className="badge">{order.status}</span>
      </h1>
      <dl>
        <dt>Customer</dt>
        <dd>
          {order.customerName} · {order.customerEmail}
          {order.customerPhone && ` · ${order.customerPhone}`}
        </dd>
        <dt>Total</dt>
        <dd>{formatMoney(order.totalCents, order.currency)}</dd>
        <dt>Placed</dt>
        <dd>{formatLocal(order.createdAt)}</dd>
        {order.attention && (
          <>
            <dt>Needs attention</dt>
            <dd className="error">{order.attention}</dd>
          </>
        )}
      </dl>
      {[refund.error, resend.error, rename.error].filter(Boolean).map((e, i) => (
        <p key={i} className="error" role="alert">
          {apiError(e)?.message}
        </p>
      ))}
      {refund.isSuccess && (
        <p className="notice" role="status">
          Refunded{refund.data.refundedCents ? ` ${formatMoney(refund.data.refundedCents, order.currency)}` : ''}.
        </p>
      )}
      <h2>Tickets</h2>
      <table className="card orders-table" aria-label="Tickets">
        <thead>
          <tr>
            <th />
            <th>Code</th>
            <th>Type</th>
            <th>Holder</th>
            <th>Status</th>
            <th>Gate</th>
          </tr>
        </thead>
        <tbody>
          {order.tickets.map((t) => (
            <tr key={t.id} className={t.status === 'void' ? 'ticket-void' : undefined}>
              <td>
                {paid && t.status === 'valid' && (
                  <input type="checkbox" aria-label={`Select ticket ${t.code}`} checked={chosen.includes(t.id)} onChange={() => toggle(t.id)} />
                )}
              </td>
              <td>{t.code}</td>
              <td>
                {t.ticketTypeName}
                {t.addOns.length > 0 && <small> + {t.addOns.map((a) => `${a.quantity}× ${a.name}`).join(', ')}</small>}
              </td>
              <td>
                {t.attendeeName}{' '}
                {canEdit && t.status === 'valid' && (
                  <button type="button" className="link" onClick={() => renameHolder(t.id, t.attendeeName)}>
                    Change name
                  </button>
                )}
              </td>
              <td>{t.status}</td>
              <td>{t.checkin ? `checked in ${formatLocal(t.checkin.checkedInAt)} at ${t.checkin.where}${t.checkin.exitedAt ? ', out now' : ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {paid && (
        <div className="actions">
          <button type="button" disabled={chosen.length === 0 || refund.isPending} onClick={refundTickets}>
            Refund selected tickets
          </button>
          <label>
            Amount <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" size={8} aria-label="Refund amount" />
          </label>
          <button type="button" disabled={!amount || refund.isPending} onClick={refundAmount}>
            Refund amount
          </button>
          <button type="button" disabled={refund.isPending} onClick={refundAll}>
            Refund whole order
          </button>
          <button type="button" disabled={resend.isPending} onClick={() => resend.mutate({ orderId: order.id })}>
            Resend tickets
          </button>
        </div>
      )}
      <OrderHistory order={order} />
      {canEdit && <AuditList orderId={order.id} />}
    </>
  );
}
