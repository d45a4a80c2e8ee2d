import Stripe from 'stripe';
import { toStripeAmount } from '../../../shared/charge-units.ts';
import { CheckoutAttemptSpent, type CheckoutRequest, type PartialRefund, type PaymentDto } from '../dto.ts';

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
  // Whole minutes, as Stripe shows them; `now` is the attempt's start, so every retry sends the same value.
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
 * One key per payment and attempt — never per minute — so however late a create is retried (the SDK's
 * own retries, or the customer's after a lost response) it is the same request under the same key, and
 * Stripe answers with the session it created the first time: an order never gets a second live session.
 */
const checkoutIdempotencyKey = (req: CheckoutRequest) => `checkout-${req.paymentId}-${req.attempt}`;

const replayed = (headers: Record<string, string> | undefined) => headers?.['idempotent-replayed'] === 'true';

/** Where to send the customer for a session as Stripe has it now; null when it can no longer be paid. */
function destinationOf(session: Stripe.Checkout.Session, req: CheckoutRequest) {
  if (session.status === 'open' && session.url) return { redirectUrl: session.url, providerRef: session.id };
  if (session.status === 'complete') return { redirectUrl: req.successUrl, providerRef: session.id };
  return null;
}

/**
 * Sends the customer to the attempt's session: the one we know of if it is still open, else the one the
 * attempt's key yields. Throws CheckoutAttemptSpent when the attempt can give no live session (its
 * session expired; Stripe stored a failure for its key; Stripe refused its request outright, e.g. its
 * expires_at is too close now) so the caller starts the next attempt; other errors (Stripe unreachable,
 * 5xx) are thrown as they are, and the retry repeats the same attempt.
 */
export async function startStripeCheckout(stripe: Stripe, req: CheckoutRequest) {
  if (req.providerRef) {
    const known = destinationOf(await stripe.checkout.sessions.retrieve(req.providerRef), req);
    if (known) return known;
  }
  const params = sessionParams(req, req.attemptStartedAt);
  let session: Stripe.Response<Stripe.Checkout.Session>;
  try {
    session = await stripe.checkout.sessions.create(params, { idempotencyKey: checkoutIdempotencyKey(req) });
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError && replayed(err.headers)) throw new CheckoutAttemptSpent('Stripe stored a failure for it');
    // A changed request under the same key (a new version mid-payment) or one Stripe refuses: it created nothing.
    if (err instanceof Stripe.errors.StripeIdempotencyError || err instanceof Stripe.errors.StripeInvalidRequestError) {
      throw new CheckoutAttemptSpent(err.message);
    }
    throw err;
  }
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  // A replay is the session as it was created; it may have expired or been paid since.
  const current = replayed(session.lastResponse?.headers) ? await stripe.checkout.sessions.retrieve(session.id) : session;
  const destination = destinationOf(current, req);
  if (!destination) throw new CheckoutAttemptSpent(`session ${session.id} is ${current.status}`);
  return destination;
}

/**
 * Refunds the whole payment (or, `partial`, that amount of it); the key makes a repeat (admin twice,
 * webhook retry) return the first refund.
 */
export async function refundStripePayment(
  stripe: Stripe,
  payment: PaymentDto,
  reason?: string,
  opts: { checkoutRef?: string; partial?: PartialRefund } = {},
) {
  const sessionId = opts.checkoutRef ?? payment.providerRef;
  if (!sessionId) throw new Error(`payment ${payment.id} has no Stripe checkout session`);
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  const paymentIntent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
  if (!paymentIntent) throw new Error(`checkout session ${session.id} has no payment to refund`);
  try {
    await stripe.refunds.create(
      {
        payment_intent: paymentIntent,
        ...(opts.partial ? { amount: toStripeAmount(opts.partial.amountCents, payment.currency) } : {}),
        metadata: { paymentId: payment.id, orderId: payment.orderId, ...(reason ? { reason } : {}) },
      },
      // The payment's own refund keeps its key; a second paid checkout of it, or a partial refund, gets one of its own.
      { idempotencyKey: opts.partial ? opts.partial.key : opts.checkoutRef ? `refund-${payment.id}-${opts.checkoutRef}` : `refund-${payment.id}` },
    );
  } catch (err) {
    // Refunded already, e.g. from the Stripe dashboard: the customer has their money back, which is the goal.
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'charge_already_refunded') return;
    throw err;
  }
}
