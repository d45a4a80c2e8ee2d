import { formatMoney } from '../../shared/money.ts';
import type { TicketMessageData } from './dto.ts';
import { escapeHtml, when } from './render.ts';
import type { EmailContent, SmsContent } from './transports/types.ts';

/*
 * Notices that an order's tickets will not be used: it was refunded, cancelled (a dispute), or its late
 * payment was sent back. Same path as the tickets email (HTML + text, built into MIME by MailComposer),
 * but no QR codes — the tickets are void.
 */

export type NoticeKind = 'refunded' | 'late_payment_refunded' | 'cancelled' | 'partially_refunded';

type Notice = { subject: string; statement: string; refunded: boolean };

function noticeOf(data: TicketMessageData, kind: NoticeKind): Notice {
  const about = `${data.event.name} (order ${data.orderCode})`;
  switch (kind) {
    case 'refunded':
      return {
        subject: `Refunded: ${about}`,
        statement: `Your order ${data.orderCode} for ${data.event.name} was refunded in full; your tickets are no longer valid.`,
        refunded: true,
      };
    case 'late_payment_refunded':
      return {
        subject: `Your payment was refunded: ${about}`,
        statement: 'Your payment arrived after your reservation expired and the tickets had sold out meanwhile; we refunded it in full.',
        refunded: true,
      };
    case 'partially_refunded': {
      const left = data.tickets.map((t) => t.code).join(', ');
      return {
        subject: `Partly refunded: ${about}`,
        statement: `Part of your order ${data.orderCode} for ${data.event.name} was refunded.${left ? ` Your tickets ${left} stay valid; any others are no longer valid.` : ''}`,
        refunded: data.total.amountCents > 0,
      };
    }
    case 'cancelled':
      return { subject: `Order cancelled: ${about}`, statement: 'Your order was cancelled; your tickets are no longer valid.', refunded: false };
  }
}

export function renderNoticeEmail(data: TicketMessageData, kind: NoticeKind): EmailContent {
  const notice = noticeOf(data, kind);
  const place = [when(data.event), data.event.venue].filter(Boolean).join(' · ');
  // Banks take a few days to show the money back; saying so saves support mails.
  const amount = notice.refunded
    ? `Amount refunded: ${formatMoney(data.total.amountCents, data.total.currency)}. It can take a few days to appear on your statement.`
    : null;

  const text = [
    `Hello ${data.customer.name},`,
    '',
    notice.statement,
    ...(amount ? [amount] : []),
    '',
    `Event: ${data.event.name}, ${place}`,
    `Your order ${data.orderCode}: ${data.link}`,
  ].join('\n');

  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#222">
<p>Hello ${escapeHtml(data.customer.name)},</p>
<p><strong>${escapeHtml(notice.statement)}</strong></p>
${amount ? `<p>${escapeHtml(amount)}</p>\n` : ''}<p>Event: ${escapeHtml(data.event.name)}, ${escapeHtml(place)}</p>
<p><a href="${escapeHtml(data.link)}">View order ${escapeHtml(data.orderCode)}</a></p>
</body></html>`;

  return { to: data.customer.email, subject: notice.subject, text, html, inline: [] };
}

export function renderNoticeSms(data: TicketMessageData, kind: NoticeKind, phone: string): SmsContent {
  return { to: phone, body: `${data.event.name}: ${noticeOf(data, kind).statement} Order ${data.orderCode}: ${data.link}` };
}
