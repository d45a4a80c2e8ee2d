import { formatMoney } from '../../../shared/money.ts';
import type { RouterOutputs } from '../../trpc.ts';
import { EditItemRow } from './EditItemRow.tsx';

type AdminEvent = RouterOutputs['admin']['getEvent'];
type Item = Omit<AdminEvent['addOns'][number], 'maxPerTicket'> & { maxPerTicket?: number; hidden?: boolean };

/** Ticket types or add-ons with what is sold or held (taken) and what is left. */
export function ItemTable({ caption, items, currency, edit }: { caption: string; items: Item[]; currency: string; edit?: { kind: 'ticketType' | 'addOn'; eventId: string } }) {
  if (items.length === 0) return <p className="muted">No {caption.toLowerCase()} yet.</p>;
  const perTicket = items.some((i) => i.maxPerTicket !== undefined);
  return (
    <div className="table-scroll">
      <table className="items">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Price</th>
            {perTicket && <th scope="col">Max per ticket</th>}
            <th scope="col">Capacity</th>
            <th scope="col">Taken</th>
            {!perTicket && <th scope="col">Held for vouchers</th>}
            <th scope="col">Available</th>
            {edit && <th scope="col" />}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                {i.name}
                {i.hidden && <small className="muted">{perTicket ? ' (hidden)' : ' (hidden: voucher only)'}</small>}
              </th>
              <td>{formatMoney(i.priceCents, currency)}</td>
              {perTicket && <td>{i.maxPerTicket}</td>}
              <td>{i.capacity ?? 'unlimited'}</td>
              <td>{i.taken}</td>
              {!perTicket && <td>{i.reserved}</td>}
              <td>{i.available ?? 'unlimited'}</td>
              {edit && (
                <td>
                  <EditItemRow item={i} kind={edit.kind} eventId={edit.eventId} currency={currency} columns={1} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
