import { readFileSync } from 'node:fs';
import { PKPass } from 'passkit-generator';
import type { AppleWalletConfig } from './credentials.ts';
import { addOnText, startsAtText, type PassFile, type PassOrder, type PassTicket } from './dto.ts';

// Wallet requires an icon; one neutral image in the three sizes iPhones ask for.
const ICONS = Object.fromEntries(['icon.png', 'icon@2x.png', 'icon@3x.png'].map((f) => [f, readFileSync(new URL(`./assets/${f}`, import.meta.url))]));

/**
 * One ticket as an Apple Wallet event ticket (.pkpass, built and signed by passkit-generator: pass.json,
 * manifest.json with SHA-1s, a detached PKCS#7 signature by the pass type certificate with the WWDR
 * intermediate). The barcode message is exactly the ticket's signed secret, so the gate scans it like
 * the email's QR. The serial number is the ticket id: adding a re-downloaded pass replaces the old one,
 * which is how a re-issued ticket's new QR, or `voided` for a void ticket, reaches the phone (there is no
 * pass update web service yet, so Wallet never fetches changes by itself).
 */
export function applePass(config: AppleWalletConfig, order: PassOrder, ticket: PassTicket): PassFile {
  const voided = ticket.status === 'void';
  const pass = new PKPass(
    { ...ICONS },
    { wwdr: config.wwdrPem, signerCert: config.certPem, signerKey: config.keyPem, signerKeyPassphrase: config.keyPassphrase },
    {
      formatVersion: 1,
      passTypeIdentifier: config.passTypeId,
      teamIdentifier: config.teamId,
      organizationName: config.organizationName,
      serialNumber: ticket.id,
      description: `Ticket for ${order.event.name}`,
      voided,
      backgroundColor: 'rgb(20, 60, 120)',
      foregroundColor: 'rgb(255, 255, 255)',
      labelColor: 'rgb(200, 215, 240)',
    },
  );
  pass.type = 'eventTicket';
  pass.primaryFields.push({ key: 'event', label: 'Event', value: order.event.name });
  pass.secondaryFields.push(
    { key: 'holder', label: 'Name', value: ticket.attendeeName },
    { key: 'type', label: 'Ticket', value: ticket.ticketTypeName },
  );
  pass.auxiliaryFields.push(
    // A date field: Wallet shows it in the phone's own zone and language.
    { key: 'starts', label: 'Starts', value: order.event.startsAt, dateStyle: 'PKDateStyleMedium', timeStyle: 'PKDateStyleShort' },
    { key: 'code', label: 'Code', value: ticket.code },
  );
  if (order.event.venue) pass.auxiliaryFields.push({ key: 'venue', label: 'Venue', value: order.event.venue });
  pass.backFields.push(
    ...(ticket.addOns.length > 0 ? [{ key: 'addons', label: 'Add-ons', value: addOnText(ticket.addOns) }] : []),
    { key: 'when', label: 'Starts', value: startsAtText(order.event) },
    { key: 'order', label: 'Order', value: order.orderCode },
    { key: 'note', label: 'At the entrance', value: 'Show this QR code or tell the code. Each ticket admits one person once.' },
  );
  // No locations: events carry a venue name, not coordinates.
  pass.setRelevantDate(new Date(order.event.startsAt));
  pass.setBarcodes({ format: 'PKBarcodeFormatQR', message: ticket.secret, messageEncoding: 'iso-8859-1', altText: ticket.code });
  return { filename: `ticket-${ticket.code}.pkpass`, contentType: 'application/vnd.apple.pkpass', content: pass.getAsBuffer() };
}
