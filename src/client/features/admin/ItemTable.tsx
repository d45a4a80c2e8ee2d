import { formatMoney } from '../../../shared/money.ts';
import { apiError, trpc, type RouterOutputs } from '../../trpc.ts';

type AdminEvent = RouterOutputs['admin']['getEvent'];
type Item = Omit<AdminEvent['addOns'][number], 'maxPerTicket'> & { maxPerTicket?: number; hidden?: boolean };

/** Ticket types or add-ons with what is sold or held (taken) and what is left. */
export function ItemTable({ caption, items, currency }: { caption: string; items: Item[]; currency: string }) {
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
            {!perTicket && <th />}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                {i.name}
                {i.hidden && <span className="muted"> (hidden: voucher only)</span>}
              </th>
              <td>{formatMoney(i.priceCents, currency)}</td>
              {perTicket && <td>{i.maxPerTicket}</td>}
              <td>{i.capacity ?? 'unlimited'}</td>
              <td>{i.taken}</td>
              {!perTicket && <td>{i.reserved}</td>}
              <td>{i.available ?? 'unlimited'}</td>
              {!perTicket && (
                <td>
                  <CapacityButton ticketTypeId={i.id} name={i.name} capacity={i.capacity} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Changes a ticket type's capacity; seats added go to its waiting list first (the server does that). */
function CapacityButton({ ticketTypeId, name, capacity }: { ticketTypeId: string; name: string; capacity: number | null }) {
  const utils = trpc.useUtils();
  const update = trpc.admin.updateTicketType.useMutation({ onSuccess: () => utils.admin.getEvent.invalidate() });
  const edit = () => {
    const typed = window.prompt(`New capacity of ${name} (empty: unlimited)`, capacity === null ? '' : String(capacity));
    if (typed === null) return;
    const next = typed.trim() === '' ? null : Number(typed);
    if (next !== null && !Number.isInteger(next)) return window.alert('Enter a whole number, or nothing for unlimited');
    update.mutate({ ticketTypeId, capacity: next }, { onError: (err) => window.alert(apiError(err)?.message) });
  };
  return (
    <button type="button" disabled={update.isPending} onClick={edit}>
      Change capacity
    </button>
  );
}
