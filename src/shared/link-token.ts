import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Tokens in links we send by email and SMS (an order's page, a waiting-list offer). A message is rendered
 * later (or again, on a retry or resend), so a random token would have to be stored readable. Instead the
 * link carries HMAC-SHA256(APP_SECRET, purpose:id): 256 bits, recomputable by any process holding the
 * secret, nothing stored. The purpose keeps one kind of link from opening another. Rotating APP_SECRET
 * invalidates every link sent so far.
 */
export const linkToken = (secret: string, purpose: string, id: string): string =>
  createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');

export function isLinkToken(secret: string | undefined, purpose: string, id: string, token: string): boolean {
  if (!secret) return false;
  const expected = Buffer.from(linkToken(secret, purpose, id));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
