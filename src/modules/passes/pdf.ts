import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { qrPngBuffer } from '../tickets/index.ts';
import { addOnText, startsAtText, type PassFile, type PassOrder, type PassTicket } from './dto.ts';

// DejaVu covers Latin, Greek, Cyrillic and more (PDF's built-in Helvetica only Latin-1); pdfkit embeds
// just the glyphs a document uses.
const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', mono: 'DejaVuSansMono-Bold.ttf' };

const MARGIN = 56;
const QR_SIZE = 240;

/**
 * The order's tickets as one PDF (pdfkit), a page per valid ticket: event, time, venue, holder, type,
 * add-ons, the QR of the signed secret and the 6-digit code. A4, DejaVu Sans (scripts without
 * glyphs there, e.g. CJK, show as boxes).
 */
export async function ticketsPdf(order: PassOrder): Promise<PassFile> {
  const valid = order.tickets.filter((t) => t.status !== 'void');
  if (valid.length === 0) throw new Error('an order without valid tickets has no tickets PDF');
  const qrs = await Promise.all(valid.map((t) => qrPngBuffer(t.secret)));
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    autoFirstPage: false,
    info: { Title: `Tickets: ${order.event.name} (order ${order.orderCode})`, Creator: 'Gatekeeper Tickets' },
  });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, join(FONT_DIR, file));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  valid.forEach((ticket, i) => ticketPage(doc, order, ticket, qrs[i]!, `${i + 1} of ${valid.length}`));
  doc.end();
  await done;
  return { filename: `tickets-${order.orderCode}.pdf`, contentType: 'application/pdf', content: Buffer.concat(chunks) };
}

function ticketPage(doc: PDFKit.PDFDocument, order: PassOrder, ticket: PassTicket, qr: Buffer, position: string) {
  doc.addPage();
  const width = doc.page.width - 2 * MARGIN;
  doc.fillColor('#666').font('regular').fontSize(10).text(`Ticket ${position} · order ${order.orderCode}`, { width });
  doc.moveDown(0.5).fillColor('#000').font('bold').fontSize(22).text(order.event.name, { width });
  doc.moveDown(0.3).font('regular').fontSize(12).text(startsAtText(order.event), { width });
  if (order.event.venue) doc.text(order.event.venue, { width });

  const qrTop = doc.y + 24;
  doc.image(qr, MARGIN + (width - QR_SIZE) / 2, qrTop, { width: QR_SIZE, height: QR_SIZE });
  doc.y = qrTop + QR_SIZE + 8;
  doc.x = MARGIN;
  doc.fillColor('#666').fontSize(10).text('Ticket code', { width, align: 'center' });
  doc.fillColor('#000').font('mono').fontSize(36).text(ticket.code, { width, align: 'center' });

  doc.moveDown(1).font('bold').fontSize(16).text(ticket.attendeeName, { width });
  doc.font('regular').fontSize(12).text(ticket.ticketTypeName, { width });
  if (ticket.addOns.length > 0) doc.text(`Add-ons: ${addOnText(ticket.addOns)}`, { width });
  doc
    .moveDown(1.5)
    .fillColor('#666')
    .fontSize(9)
    .text('Show this QR code, or tell the ticket code, at the entrance. Each ticket admits one person once.', { width });
}
