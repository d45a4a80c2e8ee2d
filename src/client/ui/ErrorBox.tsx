import type { ReactNode } from 'react';
import { apiError } from '../trpc.ts';

/** Headlines for the server's typed error codes (src/trpc/errors.ts puts them in error.data.appCode). */
const titles: Record<string, string> = {
  VALIDATION: 'Please check your input',
  SOLD_OUT: 'Sold out',
  NOT_ON_SALE: 'Not on sale',
  ORDER_EXPIRED: 'Reservation expired',
  ORDER_NOT_PAYABLE: 'This order cannot be paid',
  PAYMENT_UNAVAILABLE: 'Payment is unavailable right now',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Too many attempts',
  INVALID_CREDENTIALS: 'Sign-in failed',
  EMAIL_TAKEN: 'Email already in use',
  CANNOT_DISABLE_SELF: 'Not allowed',
};

/** A failed request, explained: the code's headline and the server's message. Renders nothing without an error. */
export function ErrorBox({ error, children }: { error: unknown; children?: ReactNode }) {
  const err = apiError(error);
  if (!err) return null;
  const title = titles[err.data.appCode ?? ''] ?? 'Something went wrong';
  // "Invalid input" only says the fields below are marked; their own messages say the rest.
  const message = err.message === 'Invalid input' ? 'Please correct the marked fields.' : err.message;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}</strong>
      {message !== title && <p>{message}</p>}
      {children}
    </div>
  );
}
