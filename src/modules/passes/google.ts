import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { saltOfSecret } from '../../shared/ticket-qr.ts';
import type { GoogleWalletConfig } from './credentials.ts';
import { addOnText, type PassOrder, type PassTicket } from './dto.ts';

const text = (value: string) => ({ defaultValue: { language: 'en', value } });

let signingKey: { pem: string; key: Promise<CryptoKey> } | undefined;
const keyOf = (pem: string) => {
  if (signingKey?.pem !== pem) signingKey = { pem, key: importPKCS8(pem, 'RS256') };
  return signingKey.key;
};

/**
 * "Save to Google Wallet": a link to Google carrying a JWT signed (RS256) by our service account, with
 * the event ticket class and object inside — Google creates both when the customer saves, so no API
 * call is made here. The object id includes the secret's salt: a re-issued ticket is a new object (an
 * object saved earlier is not changed by a new JWT), and the old one's QR is refused at the gate.
 */
export async function googleSaveUrl(config: GoogleWalletConfig, publicUrl: string, order: PassOrder, ticket: PassTicket, now: Date): Promise<string> {
  const classId = `${config.issuerId}.event-${order.event.id}`;
  const objectId = `${config.issuerId}.ticket-${ticket.id}-${saltOfSecret(ticket.secret)}`;
  const ticketClass = {
    id: classId,
    issuerName: 'Gatekeeper Tickets',
    reviewStatus: 'UNDER_REVIEW',
    eventName: text(order.event.name),
    ...(order.event.venue ? { venue: { name: text(order.event.venue), address: text(order.event.venue) } } : {}),
    dateTime: { start: order.event.startsAt },
  };
  const ticketObject = {
    id: objectId,
    classId,
    state: 'ACTIVE',
    ticketHolderName: ticket.attendeeName,
    ticketNumber: ticket.code,
    ticketType: text(ticket.ticketTypeName),
    barcode: { type: 'QR_CODE', value: ticket.secret, alternateText: ticket.code },
    ...(ticket.addOns.length > 0 ? { textModulesData: [{ id: 'addons', header: 'Add-ons', body: addOnText(ticket.addOns) }] } : {}),
  };
  const jwt = await new SignJWT({
    typ: 'savetowallet',
    origins: [new URL(publicUrl).origin],
    payload: { eventTicketClasses: [ticketClass], eventTicketObjects: [ticketObject] },
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(config.clientEmail)
    .setAudience('google')
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .sign(await keyOf(config.privateKeyPem));
  return `https://pay.google.com/gp/v/save/${jwt}`;
}
