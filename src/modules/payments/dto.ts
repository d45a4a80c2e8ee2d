/** Part of a payment given back; `key` identifies this refund to the provider (repeats return the first). */
export type PartialRefund = { amountCents: number; key: string };

/** A partial refund as recorded, for the organizer's order page. */
export type RefundDto = { id: string; amountCents: number; currency: string; ticketIds: string[]; reason: string | null; actor: string; createdAt: Date };

export type PaymentStatus = 'created' | 'pending' | 'confirmed' | 'failed' | 'cancelled' | 'refunded' | 'disputed';

export type PaymentDto = {
  id: string;
  orderId: string;
  provider: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  providerRef: string | null;
  /** The current try at starting the provider's checkout (1, 2 …) and when it began. */
  checkoutAttempt: number;
  checkoutStartedAt: Date;
};

/** Everything a provider needs to send a customer to pay; built by orders after its transaction commits. */
export type CheckoutRequest = {
  paymentId: string;
  orderId: string;
  orderCode: string;
  orderToken: string;
  amountCents: number;
  currency: string;
  customerEmail: string;
  lines: { name: string; unitPriceCents: number; quantity: number }[];
  expiresAt: Date;
  /** The confirmation page (carries the order token). */
  successUrl: string;
  /** Where a customer who gives up goes back to. */
  cancelUrl: string;
  /** The checkout started earlier for this payment, if any: a provider may send the customer back to it. */
  providerRef?: string | null;
  /**
   * Which try at starting a checkout this is, and when that try began. One attempt is one request,
   * repeated identically (same parameters, same idempotency key) however late it is retried, so a
   * response that was lost returns the checkout it created instead of making a second one.
   */
  attempt: number;
  attemptStartedAt: Date;
};

/**
 * Thrown by startCheckout when the attempt can no longer give the customer a live checkout (its
 * checkout expired, or the provider stored a failure for it): the caller starts the next attempt.
 */
export class CheckoutAttemptSpent extends Error {
  constructor(reason: string) {
    super(`checkout attempt spent: ${reason}`);
    this.name = 'CheckoutAttemptSpent';
  }
}

export interface PaymentProvider {
  readonly name: string;
  /** Starts collecting money and returns where to send the customer (absolute or same-origin URL). */
  startCheckout(request: CheckoutRequest): Promise<{ redirectUrl: string; providerRef?: string }>;
  /**
   * Gives the whole payment back to the customer; safe to call again for the same payment. Providers
   * without it (the test provider) collected no real money, so a refund is a local state change only.
   * `checkoutRef`: refund the money of that checkout instead (a second checkout of the payment that was
   * paid too), under its own idempotency key. `partial`: give back only that amount, under that key.
   */
  refund?(payment: PaymentDto, reason?: string, opts?: { checkoutRef?: string; partial?: PartialRefund }): Promise<void>;
}

/**
 * What a provider reports about one payment right now, read back from the provider (never trusted from
 * a webhook payload). Orders turn it into state transitions; the same report applied twice changes nothing.
 */
export type PaymentReport = {
  paymentId: string;
  orderId: string;
  /** The provider checkout this is about (e.g. a Checkout Session id), when known. */
  providerRef: string | null;
  amountCents: number;
  currency: string;
  /** `awaiting`: the customer finished checkout but the money is still on its way (bank debits). */
  state: 'open' | 'awaiting' | 'paid' | 'failed' | 'expired';
  /** Money that arrived and went back: refunded in full, or taken back by a dispute. */
  reversal: null | 'refunded' | 'disputed';
};

/** A verified webhook event and what it says, for orders to apply once per event id. */
export type PaymentEvent = {
  provider: string;
  eventId: string;
  type: string;
  /** null: nothing to do (an event type we don't act on, or one about a payment that isn't ours). */
  report: PaymentReport | null;
  /** Why report is null, for the log. */
  note?: string;
};

export type PaymentProviders = {
  /** The provider new priced orders use; null when none may take payments (production without Stripe). */
  current: PaymentProvider | null;
  get(name: string): PaymentProvider | undefined;
};
