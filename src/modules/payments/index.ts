export type {
  PaymentDto,
  PaymentProvider,
  PaymentProviders,
  CheckoutRequest,
  PaymentStatus,
  PaymentReport,
  PaymentEvent,
  PartialRefund,
  RefundDto,
} from './dto.ts';
export { CheckoutAttemptSpent } from './dto.ts';
export {
  createProviders,
  testPaymentsAllowed,
  createPayment,
  latestPaymentOf,
  recordProviderRef,
  beginNextCheckoutAttempt,
  settlePayment,
  movePayment,
  findPayment,
  processedEventOutcome,
  recordProcessedEvent,
  paymentsOfOrder,
  recordPartialRefund,
  refundsOfOrder,
  refundedCentsOf,
} from './service.ts';
