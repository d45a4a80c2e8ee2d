import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { AppError } from '../../shared/errors.ts';

/** SMS cost money per message and an open form invites toll fraud: only numbers of countries the organizer chose. */
export function assertSmsAllowed(event: { smsCountries: string[] }, phone: string | null | undefined, field = 'customer.phone'): void {
  if (!phone) return;
  const country = parsePhoneNumberWithError(phone).country;
  if (country && event.smsCountries.includes(country)) return;
  const message =
    event.smsCountries.length === 0
      ? 'This event does not send tickets by SMS; leave the phone number empty'
      : `Tickets go by SMS only to numbers from ${event.smsCountries.join(', ')}; leave the phone number empty or use one of those`;
  throw new AppError('VALIDATION', message, { field });
}
