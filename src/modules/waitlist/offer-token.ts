import { isLinkToken, linkToken } from '../../shared/link-token.ts';

/*
 * The token in an offer link: an HMAC of the entry id (shared/link-token.ts says why: the offer message is
 * rendered later by the worker, so nothing readable needs storing). It travels in the URL fragment, which
 * browsers never send to a server.
 */
export const offerToken = (secret: string, entryId: string): string => linkToken(secret, 'waitlist-offer', entryId);

export const isOfferToken = (secret: string | undefined, entryId: string, token: string): boolean =>
  isLinkToken(secret, 'waitlist-offer', entryId, token);

export const offerPageUrl = (publicUrl: string, entryId: string, token: string) =>
  `${publicUrl}/waitlist/${entryId}#token=${encodeURIComponent(token)}`;
