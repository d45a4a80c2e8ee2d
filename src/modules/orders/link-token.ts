import { isLinkToken, linkToken } from '../../shared/link-token.ts';

/*
 * The token in order links we send by email and SMS (shared/link-token.ts says why it is an HMAC). The
 * customer's own token keeps working when APP_SECRET rotates; only links sent so far stop.
 */
export const orderLinkToken = (secret: string, orderId: string): string => linkToken(secret, 'order-link', orderId);

export const isOrderLinkToken = (secret: string | undefined, orderId: string, token: string): boolean =>
  isLinkToken(secret, 'order-link', orderId, token);
