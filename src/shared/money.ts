/** Money is integer minor units plus an ISO 4217 currency; this turns it into text for people. */
export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  const digits = fractionDigitsOf(currency);
  // The digits are passed, not left to Intl: the integer must read the same in every browser and in Node.
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    amountMinor / 10 ** digits,
  );
}

/**
 * Currencies whose minor unit is not the hundredth, as Node's CLDR data had them when prices were first
 * stored (0 where the subunit is not used in practice: HUF, ISK, COP, IDR …). Pinned rather than asked
 * of Intl each time: a browser or Node with other locale data must never read a stored integer in
 * another unit. Every other currency has 2.
 */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    'AFN ALL BIF CLP COP DJF GNF HUF IDR IQD IRR ISK JPY KMF KPW KRW LAK LBP MGA MMK PKR PYG RWF SLL SOS SYP UGX VND VUV XAF XOF XPF YER'
      .split(' ')
      .map((c) => [c, 0]),
  ),
  ...Object.fromEntries('BHD JOD KWD LYD OMR TND'.split(' ').map((c) => [c, 3])),
};

/** How many minor-unit digits a currency has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function fractionDigitsOf(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
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
// Units of account, not money a customer can pay with.
const NOT_PAYABLE = new Set(['XDR', 'XSU']);

/** Why an event cannot be sold in this currency, or null when it can. */
export function currencyProblem(code: string): string | null {
  if (!KNOWN_CURRENCIES.has(code)) return 'Use an ISO 4217 currency code such as EUR or USD';
  if (NOT_PAYABLE.has(code)) return `${code} is a unit of account, not a currency customers can pay in`;
  return null;
}

export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}
