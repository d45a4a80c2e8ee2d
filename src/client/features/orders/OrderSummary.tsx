import { formatMoney } from '../../../shared/money.ts';
import type { RouterOutputs } from '../../trpc.ts';

export type Order = RouterOutputs['orders']['get'];

/** What the order contains and costs: the pay page and the order page show the same table. */
export function OrderSummary({ order }: { order: Order }) {
  const money = (cents: number) => formatMoney(cents, order.currency);
  return (
    <table className="summary">
      <caption>
        Order {order.code} · {order.event.name}
      </caption>
      <tbody>
        {order.lines.flatMap((line, i) => [
          <tr key={i}>
            <th scope="row">
              {line.quantity} × {line.ticketTypeName}
            </th>
            <td>{money(line.quantity * line.unitPriceCents)}</td>
          </tr>,
          ...line.addOns.map((a, j) => (
            <tr key={`${i}-${j}`} className="summary-addon">
              <th scope="row">
                {line.quantity * a.quantity} × {a.name}
              </th>
              <td>{money(line.quantity * a.quantity * a.unitPriceCents)}</td>
            </tr>
          )),
        ])}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td data-testid="order-total">{money(order.totalCents)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
