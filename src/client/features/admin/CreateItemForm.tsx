import type { FormEvent } from 'react';
import { priceProblem, priceStepOf } from '../../../shared/charge-units.ts';
import { fractionDigitsOf, parseMajorUnits } from '../../../shared/money.ts';
import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';
import { formText, useFormErrors, wholeNumber } from '../../ui/useFormErrors.ts';

type Props = { eventId: string; currency: string; kind: 'ticketType' | 'addOn' };

/** Adds a ticket type or an add-on: name, price in major units, capacity (empty = unlimited), add-ons' max per ticket. */
export function CreateItemForm({ eventId, currency, kind }: Props) {
  const utils = trpc.useUtils();
  const onSuccess = () => utils.admin.getEvent.invalidate({ eventId });
  const createTicketType = trpc.admin.createTicketType.useMutation({ onSuccess });
  const createAddOn = trpc.admin.createAddOn.useMutation({ onSuccess });
  const mutation = kind === 'ticketType' ? createTicketType : createAddOn;
  const { errorsFor, check } = useFormErrors(mutation.error);
  const noun = kind === 'ticketType' ? 'ticket type' : 'add-on';
  const digits = fractionDigitsOf(currency);
  // About 12.50, rounded up to a price the currency can be charged in (13.00 for TWD, whole dollars only).
  const step = priceStepOf(currency);
  const example = ((Math.ceil((12.5 * 10 ** digits) / step) * step) / 10 ** digits).toFixed(digits);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const text = formText(form);
    const priceCents = parseMajorUnits(text('price') || '0', currency);
    const capacity = wholeNumber(text('capacity'));
    const maxPerTicket = wholeNumber(text('maxPerTicket'));
    const ok = check({
      priceCents: priceCents === null ? `Enter a price in ${currency}, e.g. ${example}` : (priceProblem(priceCents, currency) ?? false),
      capacity: Number.isNaN(capacity) && 'Enter a whole number, or leave empty for unlimited',
      maxPerTicket: Number.isNaN(maxPerTicket) && 'Enter a whole number',
    });
    if (!ok || priceCents === null) return;
    const item = { eventId, name: text('name'), priceCents, capacity };
    const done = { onSuccess: () => form.reset() };
    if (kind === 'ticketType') createTicketType.mutate({ ...item, hidden: new FormData(form).get('hidden') === 'on' }, done);
    else createAddOn.mutate({ ...item, ...(maxPerTicket !== null ? { maxPerTicket } : {}) }, done);
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-label={`Add ${noun}`}>
      <h3>Add {noun}</h3>
      <Field label="Name" name="name" required errors={errorsFor('name')} />
      <div className="field-row">
        <Field
          label={`Price (${currency})`}
          name="price"
          inputMode="decimal"
          placeholder={example}
          hint="0 or empty for free."
          errors={errorsFor('priceCents')}
        />
        <Field label="Capacity" name="capacity" inputMode="numeric" hint="Empty for unlimited." errors={errorsFor('capacity')} />
        {kind === 'ticketType' && (
          <label>
            <input type="checkbox" name="hidden" /> Hidden: sold only with a voucher that unlocks it
          </label>
        )}
        {kind === 'addOn' && (
          <Field label="Max per ticket" name="maxPerTicket" inputMode="numeric" defaultValue="1" errors={errorsFor('maxPerTicket')} />
        )}
      </div>
      <ErrorBox error={mutation.error} />
      <button type="submit" className="primary" disabled={mutation.isPending}>
        Add {noun}
      </button>
    </form>
  );
}
