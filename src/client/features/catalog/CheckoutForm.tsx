import { useState, type FormEvent } from 'react';
import { formatMoney } from '../../../shared/money.ts';
import { Field } from '../../ui/Field.tsx';
import type { Customer, useCheckout } from './useCheckout.ts';

type Props = {
  totalCents: number;
  currency: string;
  ticketCount: number;
  /** Countries whose numbers get tickets by SMS; empty: no phone field. */
  smsCountries: string[];
  checkout: ReturnType<typeof useCheckout>;
  /** One entry per order line: its ticket type's name and how many tickets, for the holder fields. */
  holders: { label: string; quantity: number }[];
  /** attendees[i]: the holder of each ticket of line i (the buyer's name where none was typed). */
  onSubmit(customer: Customer, attendees: { name: string }[][]): void;
  /** Prefilled details (a waiting-list offer knows who it is for). */
  defaults?: { name?: string; email?: string };
};

/** Who is buying, the live total and the one button. Validation messages come from the server. */
export function CheckoutForm({ totalCents, currency, ticketCount, smsCountries, checkout, holders, onSubmit, defaults }: Props) {
  const [buyer, setBuyer] = useState(defaults?.name ?? '');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (checkout.busy) return;
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const attendees = holders.map((h, i) => Array.from({ length: h.quantity }, (_, n) => ({ name: text(`holder-${i}-${n}`) || text('name') })));
    onSubmit({ name: text('name'), email: text('email'), ...(text('phone') ? { phone: text('phone') } : {}) }, attendees);
  };
  const free = totalCents === 0;
  return (
    // noValidate: the server's messages (shown next to each field) are the one source of truth.
    <form className="card checkout" onSubmit={submit} noValidate aria-label="Checkout">
      <h2>Your details</h2>
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        defaultValue={defaults?.name}
        errors={checkout.customerErrors('name')}
        onChange={(e) => setBuyer(e.target.value)}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={defaults?.email}
        hint="Your tickets are sent here."
        errors={checkout.customerErrors('email')}
      />
      {smsCountries.length > 0 && (
        <Field
          label="Phone for SMS (optional)"
          name="phone"
          type="tel"
          autoComplete="tel"
          hint={`Numbers from ${smsCountries.join(', ')}, with country code, e.g. +44 20 7946 0958`}
          errors={checkout.customerErrors('phone')}
        />
      )}
      {ticketCount > 1 && (
        <fieldset className="holders">
          <legend>Who holds each ticket? (optional)</legend>
          {holders.flatMap((h, i) =>
            Array.from({ length: h.quantity }, (_, n) => (
              <Field
                key={`${i}-${n}`}
                label={`${h.label} ${n + 1}`}
                name={`holder-${i}-${n}`}
                autoComplete="off"
                placeholder={buyer || 'Your name'}
                errors={checkout.holderErrors(i, n)}
              />
            )),
          )}
          <p className="hint">Empty: your name. The name is shown at the entrance; you can correct it later from your order page.</p>
        </fieldset>
      )}
      <p className="total" aria-live="polite">
        Total: <strong data-testid="order-total">{formatMoney(totalCents, currency)}</strong>
      </p>
      <button type="submit" className="primary" disabled={checkout.busy || ticketCount === 0} aria-busy={checkout.busy}>
        {checkout.busy ? 'Placing order…' : free ? 'Get tickets' : 'Continue to payment'}
      </button>
      {ticketCount === 0 && <p className="hint">Pick at least one ticket above.</p>}
    </form>
  );
}
