import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { boundedCache } from './bounded-cache.ts';
import { calendarEntry } from './calendar.ts';
import type { PassesConfig } from './credentials.ts';
import type { PassFile, PassOrder, PassTicket } from './dto.ts';
import { googleSaveUrl } from './google.ts';
import { downloadUrl, isValidDownload, type DownloadTarget } from './links.ts';
import { renderOffThread } from './renderer.ts';

export type PassesSettings = { publicUrl: string; appSecret?: string; passes: PassesConfig };
export type PassesDeps = { clock: Clock; config: PassesSettings };

/** An order as the download routes need it; `paid` false (refunded, cancelled) makes every ticket void. */
export type PassOrderSource = (orderId: string) => Promise<(PassOrder & { paid: boolean }) | null>;

export type WalletLinks = { apple?: string; google?: string };
export type DocumentLinks = { ticketsPdfUrl: string | null; calendarUrl: string | null; walletLinks: Map<string, WalletLinks> };

/** Which wallets this installation offers (for the email's wording and the page's buttons). */
export const walletsOffered = (passes: PassesConfig) => [...(passes.apple ? ['Apple Wallet'] : []), ...(passes.google ? ['Google Wallet'] : [])];

// Signing a save link costs ~1 ms of RSA; the order page asks for it on every view, so links are kept.
const googleLinks = boundedCache<string>(4 * 1024 * 1024, (s) => s.length);
const GOOGLE_LINK_REUSE_MS = 3600_000;

async function googleLink(settings: PassesSettings, order: PassOrder, ticket: PassTicket, now: Date): Promise<string | undefined> {
  if (!settings.passes.google) return undefined;
  const hour = Math.floor(now.getTime() / GOOGLE_LINK_REUSE_MS);
  const key = `${hour}|${JSON.stringify([order.event, ticket])}`;
  const cached = googleLinks.get(key);
  if (cached) return cached;
  const url = await googleSaveUrl(settings.passes.google, settings.publicUrl, order, ticket, now);
  googleLinks.set(key, url);
  return url;
}

/**
 * The links the order page shows for a paid order: the tickets PDF and calendar entry, and per ticket
 * the wallets that are configured. A void ticket gets only an Apple link: adding it again marks the
 * pass in Wallet as void. Without APP_SECRET (never in a running server) there are no download links.
 */
export async function documentLinks(deps: PassesDeps, order: PassOrder): Promise<DocumentLinks> {
  const now = deps.clock();
  const { appSecret, publicUrl, passes } = deps.config;
  const sign = (target: DownloadTarget) => (appSecret ? downloadUrl({ publicUrl, appSecret }, order.orderId, target, now) : null);
  const hasValid = order.tickets.some((t) => t.status !== 'void');
  const walletLinks = new Map<string, WalletLinks>();
  for (const ticket of order.tickets) {
    const voided = ticket.status === 'void';
    const apple = passes.apple ? (sign({ kind: 'pkpass', ticketId: ticket.id }) ?? undefined) : undefined;
    const google = voided ? undefined : await googleLink(deps.config, order, ticket, now);
    walletLinks.set(ticket.id, { ...(apple ? { apple } : {}), ...(google ? { google } : {}) });
  }
  return { ticketsPdfUrl: hasValid ? sign({ kind: 'pdf' }) : null, calendarUrl: sign({ kind: 'ics' }), walletLinks };
}

// Rendered PDFs by (order, ticket secrets): a repeated download is a lookup; a re-issued ticket changes the key.
const pdfs = boundedCache<PassFile>(32 * 1024 * 1024, (f) => f.content.length);

async function cachedPdf(order: PassOrder): Promise<PassFile> {
  // Everything the PDF shows, secrets included: any change (a re-issue, a voided ticket) is a new file.
  const key = `${order.orderId}|${createHash('sha256').update(JSON.stringify([order.event, order.tickets])).digest('base64url')}`;
  const hit = pdfs.get(key);
  if (hit) return hit;
  const file = await renderOffThread({ kind: 'pdf', order });
  pdfs.set(key, file);
  return file;
}

const gone = () => new AppError('NOT_FOUND', 'This download link is invalid or has expired. Open your order page again and use its buttons.');

/**
 * Answers a download link: checks the signature and expiry, loads the order and renders the file. Every
 * failure reads the same (NOT_FOUND), so links can't be probed.
 */
export async function download(
  deps: PassesDeps,
  loadOrder: PassOrderSource,
  request: { orderId: string; target: DownloadTarget; expires: string; signature: string },
): Promise<PassFile> {
  const { orderId, target } = request;
  if (!isValidDownload(deps.config.appSecret, orderId, target, request.expires, request.signature, deps.clock())) throw gone();
  const loaded = await loadOrder(orderId);
  if (!loaded) throw gone();
  const order: PassOrder = loaded.paid ? loaded : { ...loaded, tickets: loaded.tickets.map((t) => ({ ...t, status: 'void' as const })) };
  switch (target.kind) {
    case 'ics':
      return calendarEntry(order);
    case 'pdf':
      if (!order.tickets.some((t) => t.status !== 'void')) throw new AppError('NOT_FOUND', 'This order has no valid tickets.');
      return cachedPdf(order);
    case 'pkpass': {
      const ticket = order.tickets.find((t) => t.id === target.ticketId);
      if (!ticket || !deps.config.passes.apple) throw gone();
      return renderOffThread({ kind: 'pkpass', apple: deps.config.passes.apple, order, ticketId: ticket.id });
    }
  }
}

/** The tickets email's extras: the PDF and calendar entry attached, and the wallets the order page offers. */
export async function ticketEmailExtras(passes: PassesConfig, order: PassOrder) {
  const attachments = order.tickets.length > 0 ? [await renderOffThread({ kind: 'pdf', order }), calendarEntry(order)] : [calendarEntry(order)];
  return { attachments, walletsOnOrderPage: walletsOffered(passes) };
}
