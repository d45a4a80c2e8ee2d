import type { ReactNode } from 'react';
import { trpc } from '../../trpc.ts';
import { NotFound, QueryView } from '../../ui/Status.tsx';
import type { Order } from './OrderSummary.tsx';
import { INCOMPLETE_LINK, useOrderAccess } from './useOrderAccess.ts';

// Download links live 15 minutes (modules/passes/links.ts): a page left open asks for fresh ones well before.
const LINK_REFRESH_MS = 10 * 60_000;
const hasLinks = (o: Order) => o.ticketsPdfUrl !== null || o.tickets.some((t) => t.walletLinks.apple);

/** Order pages' data: the order behind the link, refreshed every 2 s while `poll` says so. */
export function OrderQuery({ poll, children }: { poll?: (order: Order) => boolean; children(order: Order, token: string): ReactNode }) {
  const { orderId, token } = useOrderAccess();
  const order = trpc.orders.get.useQuery(
    { orderId, token: token ?? '' },
    {
      enabled: token !== null,
      refetchInterval: (q) => (!q.state.data ? false : poll?.(q.state.data) ? 2000 : hasLinks(q.state.data) ? LINK_REFRESH_MS : false),
    },
  );
  if (!token) return <NotFound message={INCOMPLETE_LINK} />;
  return (
    <QueryView query={order} loading="Loading your order…">
      {(data) => children(data, token)}
    </QueryView>
  );
}
