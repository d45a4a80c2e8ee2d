export type { PaymentDto, PaymentProvider, PaymentProviders, CheckoutRequest, PaymentStatus } from './dto.ts';
export { createProviders, createPayment, latestPaymentOf, recordProviderRef, settlePayment } from './service.ts';
