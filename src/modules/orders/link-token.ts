import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The token in links we send by email and SMS. The order's own token is only stored hashed, so it cannot
 * be put into a message rendered later (or again, on resend). Instead the link carries
 * HMAC-SHA256(APP_SECRET, orderId): 256 bits, recomputable by any process holding the secret, nothing to
 * store. Rotating APP_SECRET invalidates every link sent so far (the customer's own token keeps working).
 */
export const orderLinkToken = (secret: string, orderId: string): string =>
  createHmac('sha256', secret).update(`order-link:${orderId}`).digest('base64url');

export function isOrderLinkToken(secret: string | undefined, orderId: string, token: string): boolean {
  if (!secret) return false;
  const expected = Buffer.from(orderLinkToken(secret, orderId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
