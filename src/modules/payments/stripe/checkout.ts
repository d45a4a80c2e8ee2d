import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { toStripeAmount } from '../../../shared/charge-units.ts';
import type { Clock } from '../../../shared/clock.ts';
import type { CheckoutRequest, PaymentDto } from '../dto.ts';

const MINUTE = 60_000;
/**
 * Stripe refuses a Checkout Session that expires sooner than 30 minutes after creation. Our holds are
 * shorter by default (15), so the session lives max(hold, 31 min) — one minute of margin for clock
 * skew — and a payment completed after the hold is a late payment (paid if the capacity is still
 * there, refunded otherwise). Stripe also caps sessions at 24 hours.
 */
export const MIN_SESSION_MS = 31 * MINUTE;
const MAX_SESSION_MS = 24 * 60 * MINUTE - MINUTE;

export function sessionExpiresAt(holdExpiresAt: Date, now: Date): number {
  const wanted = Math.max(holdExpiresAt.getTime(), now.getTime() + MIN_SESSION_MS);
  const capped = Math.min(wanted, now.getTime() + MAX_SESSION_MS);
  // Whole minutes: the same request repeated within a minute has the same parameters and idempotency key.
  return Math.ceil(capped / MINUTE) * (MINUTE / 1000);
}

/**
 * The Checkout Session parameters. Amounts are scaled from our minor units to Stripe's (charge-units.ts):
 * the same number for EUR or JPY, ×100 for ISK and HUF, which Stripe counts in hundredths.
 */
export function sessionParams(req: CheckoutRequest, now: Date): Stripe.Checkout.SessionCreateParams {
  const linesTotal = req.lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
  if (linesTotal !== req.amountCents) {
    throw new Error(`checkout lines add up to ${linesTotal}, the payment is ${req.amountCents}`);
  }
  const metadata = { orderId: req.orderId, paymentId: req.paymentId, orderCode: req.orderCode };
  return {
    mode: 'payment',
    line_items: req.lines.map((l) => ({
      quantity: l.quantity,
      price_data: { currency: req.currency.toLowerCase(), unit_amount: toStripeAmount(l.unitPriceCents, req.currency), product_data: { name: l.name } },
    })),
    customer_email: req.customerEmail,
    client_reference_id: req.orderId,
    metadata,
    // Refund and dispute webhooks carry the charge, whose payment intent leads back to the order.
    payment_intent_data: { metadata },
    success_url: req.successUrl,
    cancel_url: req.cancelUrl,
    expires_at: sessionExpiresAt(req.expiresAt, now),
  };
}

/**
 * One key per distinct request: a double-submitted or SDK-retried create yields one session. A retry
 * in a later minute has another expires_at and so another key: Stripe stores a key's first answer,
 * failures included, and a customer retrying after an outage must not get the stored failure again.
 */
function checkoutIdempotencyKey(paymentId: string, params: Stripe.Checkout.SessionCreateParams) {
  return `checkout-${paymentId}-${createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16)}`;
}

export async function startStripeCheckout(stripe: Stripe, clock: Clock, req: CheckoutRequest) {
  if (req.providerRef) {
    // A retry: send the customer back to the session they started, unless it can no longer be paid.
    const existing = await stripe.checkout.sessions.retrieve(req.providerRef);
    if (existing.status === 'open' && existing.url) return { redirectUrl: existing.url, providerRef: existing.id };
    if (existing.status === 'complete') return { redirectUrl: req.successUrl, providerRef: existing.id };
  }
  const params = sessionParams(req, clock());
  const session = await stripe.checkout.sessions.create(params, { idempotencyKey: checkoutIdempotencyKey(req.paymentId, params) });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  return { redirectUrl: session.url, providerRef: session.id };
}

/** Refunds the whole payment; the key makes a repeat (admin twice, webhook retry) return the first refund. */
export async function refundStripePayment(stripe: Stripe, payment: PaymentDto, reason?: string) {
  if (!payment.providerRef) throw new Error(`payment ${payment.id} has no Stripe checkout session`);
  const session = await stripe.checkout.sessions.retrieve(payment.providerRef);
  const paymentIntent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
  if (!paymentIntent) throw new Error(`checkout session ${session.id} has no payment to refund`);
  try {
    await stripe.refunds.create(
      { payment_intent: paymentIntent, metadata: { paymentId: payment.id, orderId: payment.orderId, ...(reason ? { reason } : {}) } },
      { idempotencyKey: `refund-${payment.id}` },
    );
  } catch (err) {
    // Refunded already, e.g. from the Stripe dashboard: the customer has their money back, which is the goal.
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'charge_already_refunded') return;
    throw err;
  }
}
