/** Money is integer minor units plus an ISO 4217 currency; this turns it into text for people. */
export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(amountMinor / 10 ** digits);
}

// Intl.NumberFormat accepts any three letters ("QQQ"); this is the list of currencies that actually exist.
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}
