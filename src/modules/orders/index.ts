export type { OrderView, CreateOrderInput } from './dto.ts';
export type { ConfirmResult } from './lifecycle.ts';
export { placeOrder, getOrder, resumePayment } from './service.ts';
export { confirmPayment, cancelPendingOrder, expireOverdueOrders } from './lifecycle.ts';
export { getOrderForMessage, resendTickets, adminResendTickets } from './messages.ts';
export { orderLinkToken } from './link-token.ts';
export { applyPaymentEvent, type PaymentEventOutcome } from './payment-events.ts';
export { refundOrder, listOrdersOfEvent } from './refunds.ts';
export { countByStatus as countOrdersByStatus } from './repo.ts';
