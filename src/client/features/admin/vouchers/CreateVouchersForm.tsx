import { useState, type FormEvent } from 'react';
import { parseMajorUnits } from '../../../../shared/money.ts';
import { wallClockToIso } from '../../../../shared/time-zone.ts';
import { apiError, fieldErrorsOf, trpc, type RouterInputs } from '../../../trpc.ts';
import { Field } from '../../../ui/Field.tsx';

type Input = RouterInputs['admin']['createVouchers'];
type Props = { eventId: string; currency: string; timeZone: string; ticketTypes: { id: string; name: string; hidden: boolean }[] };

/** New codes on one set of terms: typed ones, or N random ones (for a partner, exported as CSV). */
export function CreateVouchersForm({ eventId, currency, timeZone, ticketTypes }: Props) {
  const utils = trpc.useUtils();
  const create = trpc.admin.createVouchers.useMutation({ onSuccess: () => utils.admin.listVouchers.invalidate({ eventId }) });
  const [kind, setKind] = useState<'percent' | 'amount' | 'price'>('percent');
  const [localError, setLocalError] = useState<string | null>(null);
  const errors = fieldErrorsOf(create.error);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setLocalError(null);
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const value = text('value');
    const minor = kind === 'percent' ? Number(value) : parseMajorUnits(value || '0', currency);
    if (minor === null || Number.isNaN(minor)) return setLocalError(`Enter an amount in ${currency}, e.g. 12.50`);
    const discount: Input['discount'] = kind === 'percent' ? { percent: minor } : kind === 'amount' ? { amountCents: minor } : { priceCents: minor };
    const codes = text('codes').split(/[\s,]+/).filter(Boolean);
    const typeIds = form.getAll('ticketTypeIds').map(String);
    // A wall-clock time in the event's zone, like every admin date field.
    const until = wallClockToIso(text('validUntil'), timeZone);
    create.mutate({
      eventId,
      ...(codes.length ? { codes } : { count: Number(text('count')) || 1 }),
      discount,
      maxUses: Number(text('maxUses')) || 1,
      ...(typeIds.length ? { ticketTypeIds: typeIds } : {}),
      ...(until ? { validUntil: until } : {}),
      ...(Number(text('reserved')) > 0 ? { reservedQuantity: Number(text('reserved')) } : {}),
      unlocksHiddenTypes: form.get('unlocks') === 'on',
    });
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-label="New vouchers">
      <h2>New vouchers</h2>
      <Field label="Codes (one per line; empty: random codes)" name="codes" errors={errors('codes')} render={(a11y) => <textarea name="codes" rows={3} {...a11y} />} />
      <Field label="How many random codes" name="count" type="number" min={1} max={1000} defaultValue={1} errors={errors('count')} />
      <fieldset>
        <legend>Discount</legend>
        {(['percent', 'amount', 'price'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} />{' '}
            {k === 'percent' ? 'Percent off' : k === 'amount' ? `Amount off (${currency})` : `Set price (${currency}, 0 = free)`}
          </label>
        ))}
        <Field label="Value" name="value" inputMode="decimal" errors={errors('discount', 'discount.percent')} />
      </fieldset>
      <Field label="Uses (tickets) per code" name="maxUses" type="number" min={1} defaultValue={1} errors={errors('maxUses')} />
      <fieldset>
        <legend>Ticket types (none ticked: all)</legend>
        {ticketTypes.map((t) => (
          <label key={t.id}>
            <input type="checkbox" name="ticketTypeIds" value={t.id} /> {t.name}
            {t.hidden && ' (hidden)'}
          </label>
        ))}
      </fieldset>
      <label>
        <input type="checkbox" name="unlocks" /> Unlocks the hidden ticket types ticked above
      </label>
      <Field label="Seats held back per code (one ticket type)" name="reserved" type="number" min={0} defaultValue={0} errors={errors('reservedQuantity')} />
      <Field label={`Valid until (optional, ${timeZone})`} name="validUntil" type="datetime-local" errors={errors('validUntil')} />
      {(localError || (create.error && !Object.keys(apiError(create.error)?.data.fieldErrors ?? {}).length)) && (
        <p className="error" role="alert">
          {localError ?? apiError(create.error)?.message}
        </p>
      )}
      {create.data && (
        <p className="notice" role="status">
          {create.data.vouchers.length} voucher{create.data.vouchers.length === 1 ? '' : 's'} created.
        </p>
      )}
      <button type="submit" className="primary" disabled={create.isPending}>
        Create
      </button>
    </form>
  );
}
