import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Download links for an order's documents: short-lived and bound to one order (and ticket), signed with
 * APP_SECRET. They are handed out only by `orders.get`, which needs the order's token, so the token itself
 * never appears in a URL; a link that reaches a proxy log is useless once it expires.
 */
export type DownloadTarget = { kind: 'pdf' } | { kind: 'ics' } | { kind: 'pkpass'; ticketId: string };

export const LINK_LIFETIME_SECONDS = 15 * 60;

const pathOf = (orderId: string, target: DownloadTarget) => {
  switch (target.kind) {
    case 'pdf':
      return `/orders/${orderId}/tickets.pdf`;
    case 'ics':
      return `/orders/${orderId}/event.ics`;
    case 'pkpass':
      return `/orders/${orderId}/tickets/${target.ticketId}/pass.pkpass`;
  }
};

const signatureOf = (secret: string, orderId: string, target: DownloadTarget, expires: number) =>
  createHmac('sha256', secret).update(`download:${pathOf(orderId, target)}:${expires}`).digest('base64url');

export function downloadUrl(opts: { publicUrl: string; appSecret: string }, orderId: string, target: DownloadTarget, now: Date): string {
  // Rounded up to the minute: every orders.get within a minute hands out the same URL (browser caches agree).
  const expires = Math.ceil(now.getTime() / 60_000) * 60 + LINK_LIFETIME_SECONDS;
  return `${opts.publicUrl}${pathOf(orderId, target)}?expires=${expires}&signature=${signatureOf(opts.appSecret, orderId, target, expires)}`;
}

/** True when the link is ours, for exactly this order/ticket, and not yet expired. */
export function isValidDownload(appSecret: string | undefined, orderId: string, target: DownloadTarget, expires: string, signature: string, now: Date): boolean {
  if (!appSecret || !/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= now.getTime()) return false;
  const expected = Buffer.from(signatureOf(appSecret, orderId, target, Number(expires)));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
