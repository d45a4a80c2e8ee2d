export type PaymentStatus = 'created' | 'pending' | 'confirmed' | 'failed' | 'cancelled' | 'refunded';

export type PaymentDto = {
  id: string;
  orderId: string;
  provider: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  providerRef: string | null;
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
};

export interface PaymentProvider {
  readonly name: string;
  /** Starts collecting money and returns where to send the customer (absolute or same-origin URL). */
  startCheckout(request: CheckoutRequest): Promise<{ redirectUrl: string; providerRef?: string }>;
}

export type PaymentProviders = {
  /** The provider new orders use. */
  current: PaymentProvider;
  get(name: string): PaymentProvider | undefined;
};
