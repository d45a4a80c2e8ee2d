import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { formatMoney } from '../../../../shared/money.ts';
import { apiError, trpc, type RouterInputs } from '../../../trpc.ts';
import { formatLocal } from '../../../ui/format.ts';
import { EventTabs } from '../EventTabs.tsx';
import { useCanEdit } from '../../auth/AdminGate.tsx';
import { SearchBox } from './SearchBox.tsx';
import './orders.css';

type Status = RouterInputs['admin']['searchOrders']['status'];

/**
 * An event's orders for its organizer, newest first, 50 a page: search by order code, ticket code, name
 * or email; resend or refund in full from the row, everything else on the order's own page.
 */
export function EventOrdersPage() {
  const { eventId = '' } = useParams();
  const utils = trpc.useUtils();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<Status>(undefined);
  const orders = trpc.admin.searchOrders.useInfiniteQuery(
    { eventId, query: query || undefined, status },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );
  const refund = trpc.admin.refundOrder.useMutation({ onSuccess: () => utils.admin.searchOrders.invalidate({ eventId }) });
  const [refunding, setRefunding] = useState<string | null>(null);
  const resend = trpc.admin.resendOrderTickets.useMutation();
  const rows = orders.data?.pages.flatMap((p) => p.orders) ?? [];
  const canEdit = useCanEdit();

  const onRefund = (orderId: string, code: string) => {
    const reason = window.prompt(`Refund order ${code} in full? Its tickets stop working at once.\nReason (optional):`);
    if (reason === null) return;
    setRefunding(orderId);
    refund.mutate({ orderId, reason: reason || undefined }, { onSettled: () => setRefunding(null) });
  };

  return (
    <section>
      <EventTabs eventId={eventId} />
      <h1>Orders</h1>
      <SearchBox label="Search orders" placeholder="Order code, ticket code, name or email" onSearch={setQuery}>
        <select aria-label="Status" value={status ?? ''} onChange={(e) => setStatus((e.target.value || undefined) as Status)}>
          <option value="">Any status</option>
          <option value="paid">Paid</option>
          <option value="pending">Pending</option>
          <option value="cancelled">Cancelled</option>
          <option value="expired">Expired</option>
        </select>
      </SearchBox>
      {refund.error && <p className="error">{apiError(refund.error)?.message}</p>}
      {resend.error && <p className="error">{apiError(resend.error)?.message}</p>}
      {resend.isSuccess && (
        <p className="notice" role="status">
          The tickets of order {rows.find((o) => o.id === resend.variables.orderId)?.code} are queued to be sent again.
        </p>
      )}
      {orders.isPending ? (
        <p aria-busy="true">Loading orders…</p>
      ) : orders.error ? (
        <p className="error">{orders.error.message}</p>
      ) : rows.length === 0 ? (
        <p>{query || status ? 'No orders match.' : 'No orders yet.'}</p>
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
            {rows.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/admin/events/${eventId}/orders/${o.id}`}>{o.code}</Link>
                </td>
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
                <td>{formatLocal(o.createdAt)}</td>
                <td>
                  {canEdit && o.status === 'paid' && (
                    <button type="button" disabled={resend.isPending} onClick={() => resend.mutate({ orderId: o.id })}>
                      {resend.isPending && resend.variables.orderId === o.id ? 'Sending…' : 'Resend tickets'}
                    </button>
                  )}{' '}
                  {canEdit && (o.status === 'paid' || o.attention) && (
                    <button type="button" disabled={refunding !== null} onClick={() => onRefund(o.id, o.code)}>
                      {refunding === o.id ? 'Refunding…' : 'Refund'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {orders.hasNextPage && (
        <button type="button" disabled={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
          {orders.isFetchingNextPage ? 'Loading…' : 'More orders'}
        </button>
      )}
    </section>
  );
}
