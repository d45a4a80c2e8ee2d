import { useState, type FormEvent } from 'react';
import { fractionDigitsOf, parseMajorUnits } from '../../../shared/money.ts';
import { apiError, trpc } from '../../trpc.ts';

type Item = { id: string; name: string; priceCents: number; capacity: number | null; hidden: boolean; position: number };

/**
 * An item's edit form in its table row: name, price (for orders from now on), capacity (never below what
 * is taken; the server refuses it otherwise), display position and whether the storefront shows it.
 */
export function EditItemRow({ item, kind, eventId, currency, columns }: { item: Item; kind: 'ticketType' | 'addOn'; eventId: string; currency: string; columns: number }) {
  const utils = trpc.useUtils();
  const [open, setOpen] = useState(false);
  const done = { onSuccess: () => (setOpen(false), void utils.admin.getEvent.invalidate({ eventId })) };
  const ticketType = trpc.admin.updateTicketType.useMutation(done);
  const addOn = trpc.admin.updateAddOn.useMutation(done);
  const mutation = kind === 'ticketType' ? ticketType : addOn;
  const [problem, setProblem] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="link" onClick={() => setOpen(true)} aria-label={`Edit ${item.name}`}>
        Edit
      </button>
    );
  }
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const priceCents = parseMajorUnits(text('price'), currency);
    const capacity = text('capacity') === '' ? null : /^\d{1,8}$/.test(text('capacity')) ? Number(text('capacity')) : NaN;
    const position = /^\d{1,5}$/.test(text('position')) ? Number(text('position')) : NaN;
    if (priceCents === null) return setProblem(`Enter the price like 12.50 (at most ${fractionDigitsOf(currency)} decimals)`);
    if (Number.isNaN(capacity) || Number.isNaN(position)) return setProblem('Capacity and position are whole numbers (capacity empty: unlimited)');
    setProblem(null);
    const edits = { name: text('name'), priceCents, capacity, position, hidden: data.get('hidden') === 'on' };
    if (kind === 'ticketType') ticketType.mutate({ ticketTypeId: item.id, ...edits });
    else addOn.mutate({ addOnId: item.id, ...edits });
  };
  const digits = fractionDigitsOf(currency);
  return (
    <form className="edit-item" onSubmit={submit} aria-label={`Edit ${item.name}`} style={{ gridColumn: `span ${columns}` }}>
      <label>
        Name <input name="name" defaultValue={item.name} required />
      </label>
      <label>
        Price <input name="price" defaultValue={(item.priceCents / 10 ** digits).toFixed(digits)} inputMode="decimal" size={8} />
      </label>
      <label>
        Capacity <input name="capacity" defaultValue={item.capacity ?? ''} inputMode="numeric" size={6} placeholder="unlimited" />
      </label>
      <label>
        Position <input name="position" defaultValue={item.position} inputMode="numeric" size={3} />
      </label>
      <label>
        <input type="checkbox" name="hidden" defaultChecked={item.hidden} /> Hidden
      </label>
      <button type="submit" className="primary" disabled={mutation.isPending}>
        Save
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {(problem || mutation.error) && (
        <p className="error" role="alert">
          {problem ?? apiError(mutation.error)?.message}
        </p>
      )}
    </form>
  );
}
