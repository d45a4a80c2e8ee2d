import { randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { encodeTicketQr, parseTicketQr } from '../shared/ticket-qr.ts';
import { privateKeyFrom } from '../modules/tickets/qr-secret.ts';
import { findSeries, replaceSecret } from '../modules/tickets/repo.ts';

/*
 * Ticket QRs the app no longer makes, for tests of the gate: secrets in the legacy layout (what tickets
 * issued before the compact layout carry) and forgeries of either layout.
 */

const parse = (secret: string) => {
  const parsed = parseTicketQr(secret);
  if (!parsed) throw new Error(`not a ticket QR: ${secret}`);
  return parsed;
};

const LEGACY_VERSION = 1;
const legacyText = (body: Uint8Array, signature: Uint8Array) => Buffer.concat([body, signature]).toString('base64url');

/** The same ids and layout with a made-up signature: it parses, and no key verifies it. */
export function forgedQrOf(secret: string): string {
  const { body } = parse(secret);
  const signature = randomBytes(64);
  return body[0] === LEGACY_VERSION ? legacyText(body, signature) : encodeTicketQr(body, signature);
}

/** The same ids and salt in the legacy layout (version byte 1, base64url), signed by `privateKey`. */
export function legacyTwinOf(secret: string, privateKey: KeyObject): string {
  const body = Buffer.from(parse(secret).body);
  body[0] = LEGACY_VERSION;
  return legacyText(body, sign(null, body, privateKey));
}

/** Makes an issued ticket one of those issued before the compact layout: a legacy secret, stored. */
export async function makeLegacyTicket(db: Db, secret: string): Promise<string> {
  const { ticketId, eventId } = parse(secret);
  const series = await findSeries(db, eventId);
  if (!series) throw new Error(`event ${eventId} has no signing key`);
  const legacy = legacyTwinOf(secret, privateKeyFrom(series.privateKey));
  await replaceSecret(db, ticketId, { secret: legacy });
  return legacy;
}
