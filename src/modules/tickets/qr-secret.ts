import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { encodeTicketQr, parseTicketQr, QR_SALT_LENGTH, QR_VERSION, type ParsedTicketQr } from '../../shared/ticket-qr.ts';

/*
 * The QR secret (layouts in src/shared/ticket-qr.ts, shared with the scanner page): new tickets get the
 * compact layout, 249 digits; a legacy secret verifies the same way. The salt makes every re-issue a new
 * secret; the signature lets a scanner holding only the event's public key reject forgeries without
 * asking the database.
 */
const uuidToBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');

export function generateSigningKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

export const privateKeyFrom = (b64: string): KeyObject =>
  createPrivateKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'pkcs8' });
export const publicKeyFrom = (b64: string): KeyObject =>
  createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });

export function signTicketSecret(ticketId: string, eventId: string, privateKey: KeyObject): string {
  const body = Buffer.concat([Buffer.from([QR_VERSION]), uuidToBytes(ticketId), uuidToBytes(eventId), randomBytes(QR_SALT_LENGTH)]);
  return encodeTicketQr(body, sign(null, body, privateKey));
}

/**
 * Reads a secret of either layout without trusting it (no signature check): its ids pick the key, and
 * the parsed secret goes to verifyTicketSecret as it is.
 */
export const parseTicketSecret = (secret: string): ParsedTicketQr | null => parseTicketQr(secret);

/** True only for a secret of either layout (text, or parsed already) this event's key signed, unaltered. */
export function verifyTicketSecret(secret: string | ParsedTicketQr, publicKey: KeyObject): boolean {
  const parsed = typeof secret === 'string' ? parseTicketQr(secret) : secret;
  return parsed !== null && verify(null, parsed.body, publicKey, parsed.signature);
}
