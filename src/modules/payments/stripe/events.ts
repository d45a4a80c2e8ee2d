import type Stripe from 'stripe';
import { fromStripeAmount } from '../../../shared/charge-units.ts';
import type { PaymentEvent, PaymentReport } from '../dto.ts';

/** The events we act on; every other type is acknowledged and logged. */
export const HANDLED_EVENT_TYPES = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
]);

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

function stateOf(intent: Stripe.PaymentIntent | null): PaymentReport['state'] {
  if (!intent) return 'awaiting';
  if (intent.status === 'succeeded') return 'paid';
  if (intent.status === 'requires_payment_method' || intent.status === 'canceled') return 'failed';
  return 'awaiting';
}

/**
 * Disputes that leave the money with us: won by the organizer, or an inquiry closed without a
 * chargeback. Stripe keeps `charge.disputed` true for good once there was a dispute, so the dispute
 * itself has to be asked.
 */
const MONEY_STANDS = new Set<Stripe.Dispute.Status>(['won', 'warning_closed']);

async function reversalOf(stripe: Stripe, charge: Stripe.Charge | null): Promise<PaymentReport['reversal']> {
  if (charge?.disputed) {
    // One dispute per charge in practice; the newest decides if there ever were more.
    const [latest] = (await stripe.disputes.list({ charge: charge.id, limit: 1 })).data;
    if (!latest || !MONEY_STANDS.has(latest.status)) return 'disputed';
  }
  // A partial refund leaves the order as it is (an organizer's goodwill gesture); only a full one closes it.
  if (charge?.refunded) return 'refunded';
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our ids from metadata we set; anything else on the account (other integrations) is not ours. */
function ours(metadata: Stripe.Metadata | null | undefined) {
  const paymentId = metadata?.paymentId;
  const orderId = metadata?.orderId;
  return paymentId && orderId && UUID.test(paymentId) && UUID.test(orderId) ? { paymentId, orderId } : null;
}

/** The session as Stripe has it now, with its payment intent and that intent's charge. */
async function reportFromSession(stripe: Stripe, sessionId: string): Promise<PaymentReport | null> {
  const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent.latest_charge'] });
  const ids = ours(session.metadata);
  if (!ids) return null;
  const intent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const state: PaymentReport['state'] =
    session.status === 'open'
      ? 'open'
      : session.status === 'expired'
        ? 'expired'
        : session.payment_status === 'paid'
          ? 'paid'
          : stateOf(intent);
  return {
    ...ids,
    providerRef: session.id,
    amountCents: fromStripeAmount(session.amount_total ?? 0, (session.currency ?? '').toUpperCase()),
    currency: (session.currency ?? '').toUpperCase(),
    state,
    reversal: await reversalOf(stripe, charge),
  };
}

/** The charge as Stripe has it now, and its payment intent (whose metadata names the order). */
async function reportFromCharge(stripe: Stripe, chargeId: string): Promise<PaymentReport | null> {
  const charge = await stripe.charges.retrieve(chargeId);
  const intentId = idOf(charge.payment_intent);
  if (!intentId) return null;
  const intent = await stripe.paymentIntents.retrieve(intentId);
  const ids = ours(intent.metadata);
  if (!ids) return null;
  // Which of the payment's checkouts took this money: a refund of a second, duplicate one must not close the order.
  const [session] = (await stripe.checkout.sessions.list({ payment_intent: intentId, limit: 1 })).data;
  return {
    ...ids,
    providerRef: session?.id ?? null,
    amountCents: fromStripeAmount(intent.amount, intent.currency.toUpperCase()),
    currency: intent.currency.toUpperCase(),
    state: stateOf(intent),
    reversal: await reversalOf(stripe, charge),
  };
}

/**
 * Turns a verified event into a report read back from Stripe: the payload only says which object to
 * look at, never what state it is in (events arrive late, twice and out of order).
 */
export async function readStripeEvent(stripe: Stripe, event: Stripe.Event): Promise<PaymentEvent> {
  const base = { provider: 'stripe', eventId: event.id, type: event.type };
  if (!HANDLED_EVENT_TYPES.has(event.type)) return { ...base, report: null, note: 'event type not handled' };
  const object = event.data.object as { id: string; object: string; charge?: string | { id: string } };
  const report =
    object.object === 'checkout.session'
      ? await reportFromSession(stripe, object.id)
      : await reportFromCharge(stripe, object.object === 'dispute' ? (idOf(object.charge) ?? '') : object.id);
  return { ...base, report, note: report ? undefined : 'not a Gatekeeper payment' };
}
