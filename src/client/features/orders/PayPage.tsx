import { Link, useNavigate } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { cancelledPath, orderPath } from './links.ts';
import { OrderQuery } from './OrderQuery.tsx';
import { OrderSummary, type Order } from './OrderSummary.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

/** The `test` payment provider's checkout page: Pay and Cancel, and no money moves. */
export function PayPage() {
  usePageTitle('TEST payment');
  return (
    <section>
      <div className="test-banner" role="note">
        TEST PAYMENT — no money is collected
      </div>
      <h1>Test checkout</h1>
      <OrderQuery>{(order, token) => <TestCheckout order={order} token={token} />}</OrderQuery>
    </section>
  );
}

function TestCheckout({ order, token }: { order: Order; token: string }) {
  const navigate = useNavigate();
  const pay = trpc.orders.testPayment.useMutation({
    onSuccess: (result) =>
      navigate(result.status === 'paid' ? orderPath(order.id, token) : cancelledPath(order.event.id, order.id)),
  });
  if (order.status !== 'pending') {
    return (
      <p className="notice">
        This order is {order.status}. <Link to={orderPath(order.id, token)}>View the order</Link>
      </p>
    );
  }
  const busy = pay.isPending || pay.isSuccess;
  return (
    <div className="card">
      <OrderSummary order={order} />
      <p className="muted">Pay as {order.customer.email}. This page stands in for a real payment provider.</p>
      <ErrorBox error={pay.error} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => pay.mutate({ orderId: order.id, token, action: 'pay' })}>
          Pay
        </button>
        <button type="button" disabled={busy} onClick={() => pay.mutate({ orderId: order.id, token, action: 'cancel' })}>
          Cancel
        </button>
      </div>
    </div>
  );
}
