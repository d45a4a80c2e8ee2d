import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The token in an offer link. The offer email is rendered later (by the worker, perhaps again on a
 * retry), so a random token would have to be stored readable; instead, as for order links, the link
 * carries HMAC-SHA256(APP_SECRET, entry id): 256 bits, recomputable by any process holding the secret,
 * nothing stored at all. It travels in the URL fragment, which browsers never send to a server.
 */
export const offerToken = (secret: string, entryId: string): string =>
  createHmac('sha256', secret).update(`waitlist-offer:${entryId}`).digest('base64url');

export function isOfferToken(secret: string | undefined, entryId: string, token: string): boolean {
  if (!secret) return false;
  const expected = Buffer.from(offerToken(secret, entryId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const offerPageUrl = (publicUrl: string, entryId: string, token: string) =>
  `${publicUrl}/waitlist/${entryId}#token=${encodeURIComponent(token)}`;
