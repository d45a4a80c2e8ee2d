import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { formatMoney } from '../../../../shared/money.ts';
import { apiError, trpc } from '../../../trpc.ts';
import './orders.css';

/** An event's orders for its organizer: paid ones can get their tickets sent again, or a full refund (Stripe or test provider). */
export function EventOrdersPage() {
  const { eventId = '' } = useParams();
  const utils = trpc.useUtils();
  const orders = trpc.admin.listOrders.useQuery({ eventId });
  const refund = trpc.admin.refundOrder.useMutation({ onSuccess: () => utils.admin.listOrders.invalidate({ eventId }) });
  const [refunding, setRefunding] = useState<string | null>(null);
  const resend = trpc.admin.resendOrderTickets.useMutation();

  if (orders.isPending) return <p>Loading orders…</p>;
  if (orders.error) return <p className="error">{orders.error.message}</p>;

  const onRefund = (orderId: string, code: string) => {
    const reason = window.prompt(`Refund order ${code} in full? Its tickets stop working at once.\nReason (optional):`);
    if (reason === null) return;
    setRefunding(orderId);
    refund.mutate({ orderId, reason: reason || undefined }, { onSettled: () => setRefunding(null) });
  };

  return (
    <section>
      <h1>Orders</h1>
      {refund.error && <p className="error">{apiError(refund.error)?.message}</p>}
      {resend.error && <p className="error">{apiError(resend.error)?.message}</p>}
      {resend.isSuccess && (
        <p className="notice" role="status">
          The tickets of order {orders.data.find((o) => o.id === resend.variables.orderId)?.code} are queued to be sent again.
        </p>
      )}
      {orders.data.length === 0 ? (
        <p>No orders yet.</p>
      ) : (
        <table className="card orders-table">
          <thead>
            <tr>
              <th>Code</th>
              <th>Status</th>
              <th>Customer</th>
              <th>Total</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {orders.data.map((o) => (
              <tr key={o.id}>
                <td>{o.code}</td>
                <td>
                  {o.status}
                  {o.attention && (
                    <>
                      <br />
                      <strong className="error">Needs attention:</strong> <small>{o.attention}</small>
                    </>
                  )}
                </td>
                <td>
                  {o.customerName}
                  <br />
                  <small>{o.customerEmail}</small>
                </td>
                <td>{formatMoney(o.totalCents, o.currency)}</td>
                <td>{new Date(o.createdAt).toLocaleString()}</td>
                <td>
                  {o.attention && (
                    <button type="button" disabled={refunding !== null} onClick={() => onRefund(o.id, o.code)}>
                      {refunding === o.id ? 'Refunding…' : 'Refund'}
                    </button>
                  )}
                  {o.status === 'paid' && (
                    <>
                      <button type="button" disabled={resend.isPending} onClick={() => resend.mutate({ orderId: o.id })}>
                        {resend.isPending && resend.variables.orderId === o.id ? 'Sending…' : 'Resend tickets'}
                      </button>{' '}
                      <button type="button" disabled={refunding !== null} onClick={() => onRefund(o.id, o.code)}>
                        {refunding === o.id ? 'Refunding…' : 'Refund'}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
