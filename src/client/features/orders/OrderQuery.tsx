import type { ReactNode } from 'react';
import { trpc } from '../../trpc.ts';
import { NotFound, QueryView } from '../../ui/Status.tsx';
import type { Order } from './OrderSummary.tsx';
import { INCOMPLETE_LINK, useOrderAccess } from './useOrderAccess.ts';

/** Order pages' data: the order behind the link, refreshed every 2 s while `poll` says so. */
export function OrderQuery({ poll, children }: { poll?: (order: Order) => boolean; children(order: Order, token: string): ReactNode }) {
  const { orderId, token } = useOrderAccess();
  const order = trpc.orders.get.useQuery(
    { orderId, token: token ?? '' },
    { enabled: token !== null, refetchInterval: (q) => (q.state.data && poll?.(q.state.data) ? 2000 : false) },
  );
  if (!token) return <NotFound message={INCOMPLETE_LINK} />;
  return (
    <QueryView query={order} loading="Loading your order…">
      {(data) => children(data, token)}
    </QueryView>
  );
}
