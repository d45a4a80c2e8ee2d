import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { formatTimeInZone } from '../../../shared/time-zone.ts';
import { formatStartsAt } from '../../ui/format.ts';
import { OrderQuery } from './OrderQuery.tsx';
import { OrderSummary, type Order } from './OrderSummary.tsx';
import { ResendTickets } from './ResendTickets.tsx';
import { TicketCard } from './TicketCard.tsx';
import { OrderDownloads } from './TicketDownloads.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

/** The confirmation page behind the order link: tickets once paid, otherwise where the order stands. */
export function OrderPage() {
  usePageTitle('Your order');
  return (
    <section>
      {/* While payment is pending, ask again every 2 s so the tickets appear without a reload. */}
      <OrderQuery poll={(o) => o.status === 'pending'}>{(order, token) => <OrderDetails order={order} token={token} />}</OrderQuery>
    </section>
  );
}

function OrderDetails({ order, token }: { order: Order; token: string }) {
  if (order.status === 'paid') {
    return (
      <>
        <h1>Your tickets</h1>
        <p>
          Order <strong>{order.code}</strong> for <strong>{order.event.name}</strong> (
          <time dateTime={order.event.startsAt}>{formatStartsAt(order.event.startsAt, order.event.timeZone)}</time>
          {order.event.venue && `, ${order.event.venue}`}) is confirmed. Show a ticket’s QR code or code at the entrance. Keep this link
          private: it opens your tickets.
        </p>
        <OrderDownloads order={order} />
        <div className="tickets">
          {order.tickets.map((t) => (
            <TicketCard key={t.id} ticket={t} eventName={order.event.name} rename={{ orderId: order.id, token }} />
          ))}
        </div>
        <ResendTickets orderId={order.id} token={token} email={order.customer.email} />
        <details className="card">
          <summary>Order details</summary>
          <OrderSummary order={order} />
        </details>
      </>
    );
  }
  return (
    <>
      <h1>Order {order.code}</h1>
      {order.status === 'pending' ? (
        <PendingPayment order={order} token={token} />
      ) : (
        <p className="notice notice-error" role="status">
          {order.status === 'expired'
            ? 'This order expired before it was paid; its tickets were released. Please order again.'
            : 'This order was cancelled; it has no valid tickets.'}
        </p>
      )}
      <div className="card">
        <OrderSummary order={order} />
      </div>
    </>
  );
}

function PendingPayment({ order, token }: { order: Order; token: string }) {
  const resume = trpc.orders.resumePayment.useMutation({ onSuccess: ({ paymentUrl }) => window.location.assign(paymentUrl) });
  const until = formatTimeInZone(order.expiresAt, order.event.timeZone);
  return (
    <div className="notice" role="status">
      <p>
        <strong>Waiting for payment.</strong> Your tickets are reserved until {until}. This page updates by itself once the payment
        arrives.
      </p>
      <ErrorBox error={resume.error} />
      <button
        type="button"
        className="primary"
        disabled={resume.isPending || resume.isSuccess}
        onClick={() => resume.mutate({ orderId: order.id, token })}
      >
        Complete payment
      </button>
    </div>
  );
}
