import type { FormEvent } from 'react';
import { fieldErrorsOf, trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';

type Props = { ticketTypeId: string; ticketTypeName: string; maxTickets: number; smsCountries: string[] };

/** Sold out: join the line. Seats that come back are held for the first in line and offered by email. */
export function WaitlistForm({ ticketTypeId, ticketTypeName, maxTickets, smsCountries }: Props) {
  const join = trpc.waitlist.join.useMutation();
  const errors = fieldErrorsOf(join.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    join.mutate({
      ticketTypeId,
      name: text('name'),
      email: text('email'),
      quantity: Number(text('quantity')) || 1,
      ...(text('phone') ? { phone: text('phone') } : {}),
    });
  };
  if (join.data) {
    const ahead = join.data.ahead;
    return (
      <p className="notice" role="status">
        You are on the waiting list{ahead > 0 ? ` (${ahead} ${ahead === 1 ? 'person' : 'people'} ahead of you)` : ''}. If tickets come
        back, we email you a link that holds them for you for a while.
      </p>
    );
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-label={`Waiting list for ${ticketTypeName}`}>
      <h4>Join the waiting list</h4>
      <Field label="Name" name="name" autoComplete="name" errors={errors('name')} />
      <Field label="Email" name="email" type="email" autoComplete="email" errors={errors('email')} />
      {smsCountries.length > 0 && <Field label="Phone for SMS (optional)" name="phone" type="tel" autoComplete="tel" errors={errors('phone')} />}
      <Field label="Tickets wanted" name="quantity" type="number" min={1} max={maxTickets} defaultValue={1} errors={errors('quantity')} />
      <ErrorBox error={errors('name', 'email', 'phone', 'quantity') ? null : join.error} />
      <button type="submit" disabled={join.isPending}>
        {join.isPending ? 'Joining…' : 'Join the waiting list'}
      </button>
    </form>
  );
}
