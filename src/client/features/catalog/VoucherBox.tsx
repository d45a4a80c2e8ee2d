import { useState, type FormEvent } from 'react';
import { apiError } from '../../trpc.ts';
import type { StoreEvent } from './cart.ts';

type Props = {
  /** The code applied, if any, and what the server said about it. */
  applied: string | null;
  voucher: StoreEvent['voucher'];
  error: unknown;
  pending: boolean;
  onApply(code: string | null): void;
};

/** "Have a voucher?": a code is checked on the server, which then shows its prices on the page. */
export function VoucherBox({ applied, voucher, error, pending, onApply }: Props) {
  const [typed, setTyped] = useState(applied ?? '');
  const message = apiError(error)?.message;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(typed.trim() || null);
  };
  return (
    <form className="card voucher" onSubmit={submit} aria-label="Voucher">
      <label htmlFor="voucher-code">Voucher code</label>
      <div className="ticket-row">
        <input
          id="voucher-code"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={Boolean(message)}
          aria-describedby={message ? 'voucher-error' : undefined}
        />
        <button type="submit" disabled={pending || !typed.trim()}>
          {pending ? 'Checking…' : 'Apply'}
        </button>
        {applied && (
          <button type="button" onClick={() => (setTyped(''), onApply(null))}>
            Remove
          </button>
        )}
      </div>
      {message && (
        <p id="voucher-error" className="error" role="alert">
          {message}
        </p>
      )}
      {voucher && !message && (
        <p role="status" className="notice">
          Voucher {voucher.code} applied: {describeDiscount(voucher.discount)}
        </p>
      )}
    </form>
  );
}

function describeDiscount(d: NonNullable<StoreEvent['voucher']>['discount']): string {
  if ('percent' in d) return `${d.percent}% off`;
  if ('amountCents' in d) return 'a fixed amount off';
  return d.priceCents === 0 ? 'free tickets' : 'a special price';
}
