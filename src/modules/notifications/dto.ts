/** The messages the outbox carries; each names what to render by id. */
export type OutboxMessage =
  | { type: 'order.paid'; payload: { orderId: string } }
  | { type: 'order.cancelled'; payload: { orderId: string } };
