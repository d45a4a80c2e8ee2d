import type { WaitlistOfferData } from './dto.ts';
import { formatInZone } from '../../shared/time-zone.ts';
import { escapeHtml, when } from './render.ts';
import type { EmailContent, SmsContent } from './transports/types.ts';

/** A waiting-list offer: seats are held for this person until a deadline; the link buys them. */

const tickets = (d: WaitlistOfferData) => `${d.quantity} × ${d.ticketTypeName}`;

export function renderOfferEmail(d: WaitlistOfferData): EmailContent {
  const place = [when(d.event), d.event.venue].filter(Boolean).join(' · ');
  const deadline = formatInZone(d.expiresAt, d.event.timeZone);
  const text = [
    `Hello ${d.customer.name},`,
    '',
    `Tickets you waited for came back: ${tickets(d)} for ${d.event.name} are held for you until ${deadline}.`,
    `Buy them here: ${d.link}`,
    '',
    `After that they go to the next person on the waiting list.`,
    `Event: ${d.event.name}, ${place}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#222">
<p>Hello ${escapeHtml(d.customer.name)},</p>
<p><strong>Tickets you waited for came back: ${escapeHtml(tickets(d))} for ${escapeHtml(d.event.name)} are held for you until ${escapeHtml(deadline)}.</strong></p>
<p><a href="${escapeHtml(d.link)}">Buy your tickets</a></p>
<p>After that they go to the next person on the waiting list.</p>
<p>Event: ${escapeHtml(d.event.name)}, ${escapeHtml(place)}</p>
</body></html>`;
  return { to: d.customer.email, subject: `Your tickets for ${d.event.name} are held for you`, text, html, inline: [] };
}

export function renderOfferSms(d: WaitlistOfferData, phone: string): SmsContent {
  return { to: phone, body: `${d.event.name}: ${tickets(d)} held for you until ${formatInZone(d.expiresAt, d.event.timeZone)}. Buy: ${d.link}` };
}
