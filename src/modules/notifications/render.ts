import { formatInZone } from '../../shared/time-zone.ts';
import { qrPngBuffer } from '../tickets/index.ts';
import { TICKET_QR_OPTIONS } from '../../shared/qr-style.ts';
import type { TicketEmailExtras, TicketMessageData } from './dto.ts';
import type { EmailContent, SmsContent } from './transports/types.ts';

export type TicketMessageKind = 'paid' | 'resent';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The event's start on its own wall clock, with the zone's abbreviation ("… at 19:00 CET"). */
export const when = (event: { startsAt: string; timeZone: string }) => formatInZone(event.startsAt, event.timeZone);

// The QR at its drawn size (src/shared/qr-style.ts), shrunk only where the mail client is narrower.
const QR_PX = TICKET_QR_OPTIONS.width;

const addOnText = (addOns: { name: string; quantity: number }[]) =>
  addOns.map((a) => (a.quantity > 1 ? `${a.quantity} × ${a.name}` : a.name)).join(', ');

/** What the order page offers beyond this email, in a sentence ("" when it offers nothing more). */
function orderPageOffer(extras: TicketEmailExtras): string {
  const wallets = extras.walletsOnOrderPage;
  if (wallets.length === 0) return '';
  return ` There you can also add them to ${wallets.join(' or ')}.`;
}

/**
 * The tickets email: HTML with each QR as an inline PNG (cid:), the same facts as plain text, and the
 * extras' files (tickets PDF, calendar entry) attached. Links go to the order page only: downloads and
 * wallet passes are handed out there, never by links in a message.
 */
export async function renderTicketsEmail(
  data: TicketMessageData,
  kind: TicketMessageKind,
  extras: TicketEmailExtras = { attachments: [], walletsOnOrderPage: [] },
): Promise<EmailContent> {
  const { event, tickets } = data;
  const subject = `${kind === 'resent' ? 'Your tickets again' : 'Your tickets'}: ${event.name} (order ${data.orderCode})`;
  const place = [when(event), event.venue].filter(Boolean).join(' · ');
  const inline = await Promise.all(
    tickets.map(async (t) => ({ cid: `qr-${t.id}@gatekeeper`, filename: `ticket-${t.code}.png`, content: await qrPngBuffer(t.secret), contentType: 'image/png' })),
  );

  const text = [
    `Hello ${data.customer.name},`,
    '',
    `here ${tickets.length === 1 ? 'is your ticket' : `are your ${tickets.length} tickets`} for ${event.name}.`,
    place,
    '',
    ...tickets.flatMap((t, i) => [
      `Ticket ${i + 1}: ${t.ticketTypeName} — ${t.attendeeName}`,
      ...(t.addOns.length ? [`  Add-ons: ${addOnText(t.addOns)}`] : []),
      `  Code: ${t.code}`,
      '',
    ]),
    'Show the QR code (in the HTML version of this email or the attached PDF) or tell the code at the entrance.',
    `Your order ${data.orderCode}: ${data.link}${orderPageOffer(extras)}`,
  ].join('\n');

  const ticketHtml = tickets
    .map(
      (t, i) => `<tr><td style="padding:12px;border-top:1px solid #ddd">
<img src="cid:${inline[i]!.cid}" width="${QR_PX}" height="${QR_PX}" alt="QR code of ticket ${escapeHtml(t.code)}" style="display:block;max-width:100%;height:auto">
</td><td style="padding:12px;border-top:1px solid #ddd;vertical-align:top">
<strong>${escapeHtml(t.ticketTypeName)}</strong><br>${escapeHtml(t.attendeeName)}<br>
${t.addOns.length ? `Add-ons: ${escapeHtml(addOnText(t.addOns))}<br>` : ''}
<span style="font-size:28px;letter-spacing:4px;font-family:monospace">${escapeHtml(t.code)}</span>
</td></tr>`,
    )
    .join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#222">
<p>Hello ${escapeHtml(data.customer.name)},</p>
<h1 style="font-size:22px">${escapeHtml(event.name)}</h1>
<p>${escapeHtml(place)}</p>
<table style="border-collapse:collapse">${ticketHtml}</table>
<p>Show the QR code or tell the code at the entrance.</p>
<p><a href="${escapeHtml(data.link)}">View order ${escapeHtml(data.orderCode)}</a>${escapeHtml(orderPageOffer(extras))}</p>
</body></html>`;

  return { to: data.customer.email, subject, text, html, inline, attachments: extras.attachments };
}

// Beyond this the SMS gets long (Twilio splits at 153 characters); the link shows them all.
const MAX_CODES_IN_SMS = 10;

export function renderTicketsSms(data: TicketMessageData, phone: string): SmsContent {
  const codes = data.tickets.map((t) => t.code);
  const shown = codes.slice(0, MAX_CODES_IN_SMS).join(', ');
  const more = codes.length > MAX_CODES_IN_SMS ? ` and ${codes.length - MAX_CODES_IN_SMS} more` : '';
  return {
    to: phone,
    body: `${data.event.name} (${formatInZone(data.event.startsAt, data.event.timeZone, 'short')}): your ticket code${codes.length === 1 ? '' : 's'} ${shown}${more}. Tickets: ${data.link}`,
  };
}
