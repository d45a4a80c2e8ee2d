import type { PaymentProvider } from './dto.ts';

/**
 * The default when no Stripe key is set: a same-origin page, clearly marked TEST, with Pay and Cancel.
 * It collects no money, so main.ts warns when it is active in production.
 */
export const testProvider: PaymentProvider = {
  name: 'test',
  async startCheckout(req) {
    return { redirectUrl: `/orders/${req.orderId}/pay#token=${encodeURIComponent(req.orderToken)}` };
  },
};
