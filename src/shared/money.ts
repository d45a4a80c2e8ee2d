/** Money is integer minor units plus an ISO 4217 currency; this turns it into text for people. */
export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** fractionDigitsOf(currency));
}

/** How many minor-unit digits a currency has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function fractionDigitsOf(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * "12.50" (or "12,50") in major units → 1250 minor units; null when it is not a plain non-negative amount
 * with at most the currency's fraction digits. Parsed as text so 0.29 never becomes 28.999….
 */
export function parseMajorUnits(text: string, currency: string): number | null {
  const digits = fractionDigitsOf(currency);
  const m = /^(\d{1,9})(?:[.,](\d*))?$/.exec(text.trim());
  if (!m || (m[2] ?? '').length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
}

// Intl.NumberFormat accepts any three letters ("QQQ"); this is the list of currencies that actually exist.
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}
