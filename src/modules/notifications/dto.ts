/** The messages the outbox carries; each names what to render by id. */
export type OutboxMessage =
  | { type: 'order.paid'; payload: { orderId: string } }
  | { type: 'order.cancelled'; payload: { orderId: string } }
  /** A paid order refunded in full (by an admin, or from the Stripe dashboard): tickets are void. */
  | { type: 'order.refunded'; payload: { orderId: string } }
  /** The payment arrived after the hold expired and the tickets were gone: the money was sent back. */
  | { type: 'order.late_payment_refunded'; payload: { orderId: string } };
