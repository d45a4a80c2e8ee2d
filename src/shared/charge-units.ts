import { fractionDigitsOf, formatMoney } from './money.ts';

/*
 * What a payment provider can charge, in our minor units. Stripe's rules (docs.stripe.com/currencies):
 * amounts go in the currency's smallest unit, except that
 * - these are zero-decimal at Stripe (¥500 is 500);
 * - these are three-decimal, and the last digit must be 0 (KWD 5.120 is 5120);
 * - ISK, HUF and TWD are two-decimal at Stripe but charged in whole units only: amounts divisible by 100
 *   (ISK 5 is 500) — while we count ISK and HUF in whole units (0 digits) and TWD in cents;
 * - every other currency is two-decimal.
 * So an amount is scaled from our digits to Stripe's, and prices are entered in steps Stripe can charge.
 * Shared because price entry (admin form, catalog) must refuse what checkout could not send.
 */
const STRIPE_ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
const STRIPE_THREE_DECIMAL = new Set('BHD JOD KWD OMR TND'.split(' '));
const STRIPE_WHOLE_UNITS_ONLY = new Set(['ISK', 'HUF', 'TWD']);

const stripeDigitsOf = (currency: string) => (STRIPE_ZERO_DECIMAL.has(currency) ? 0 : STRIPE_THREE_DECIMAL.has(currency) ? 3 : 2);
/** In Stripe's units: what an amount must be a multiple of. */
const stripeStepOf = (currency: string) => (STRIPE_WHOLE_UNITS_ONLY.has(currency) ? 100 : STRIPE_THREE_DECIMAL.has(currency) ? 10 : 1);

/** The smallest price step in our minor units: 1 for most currencies, 100 (whole dollars) for TWD, 10 for KWD. */
export function priceStepOf(currency: string): number {
  return Math.max(1, stripeStepOf(currency) * 10 ** (fractionDigitsOf(currency) - stripeDigitsOf(currency)));
}

/** Why this price cannot be charged in the currency (for the admin form and the catalog), or null. */
export function priceProblem(amountMinor: number, currency: string): string | null {
  const step = priceStepOf(currency);
  if (amountMinor % step === 0) return null;
  return `Prices in ${currency} must be multiples of ${formatMoney(step, currency)}: card payments cannot charge smaller amounts`;
}

/** Our minor units → the amount Stripe expects. Throws if Stripe could not charge it (priceProblem refuses those earlier). */
export function toStripeAmount(amountMinor: number, currency: string): number {
  const shift = stripeDigitsOf(currency) - fractionDigitsOf(currency);
  const amount = shift >= 0 ? amountMinor * 10 ** shift : amountMinor / 10 ** -shift;
  if (!Number.isSafeInteger(amount) || amount % stripeStepOf(currency) !== 0) {
    throw new Error(`${amountMinor} minor units of ${currency} cannot be charged through Stripe`);
  }
  return amount;
}

/** An amount Stripe reports → our minor units (compared with what we asked for, so never rounded). */
export function fromStripeAmount(amount: number, currency: string): number {
  const shift = stripeDigitsOf(currency) - fractionDigitsOf(currency);
  return shift >= 0 ? amount / 10 ** shift : amount * 10 ** -shift;
}
