import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/*
 * The QR secret: base64url( version(1) | ticketId(16) | eventId(16) | salt(6) | Ed25519 signature(64) ).
 * 103 bytes -> 138 characters, a small QR. The salt makes every re-issue a new secret; the signature
 * lets a scanner holding only the event's public key reject forgeries without asking the database.
 */
const VERSION = 1;
const BODY_LENGTH = 1 + 16 + 16 + 6;
const SIGNATURE_LENGTH = 64;

const uuidToBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

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
  const body = Buffer.concat([Buffer.from([VERSION]), uuidToBytes(ticketId), uuidToBytes(eventId), randomBytes(6)]);
  return Buffer.concat([body, sign(null, body, privateKey)]).toString('base64url');
}

/** Reads the ids out of a secret without trusting them (no signature check): pick the key with it. */
export function parseTicketSecret(secret: string): { ticketId: string; eventId: string } | null {
  if (secret.length > 200 || !/^[A-Za-z0-9_-]+$/.test(secret)) return null;
  const raw = Buffer.from(secret, 'base64url');
  if (raw.length !== BODY_LENGTH + SIGNATURE_LENGTH || raw[0] !== VERSION) return null;
  return { ticketId: bytesToUuid(raw.subarray(1, 17)), eventId: bytesToUuid(raw.subarray(17, 33)) };
}

/** True only for a secret this event's key signed, unaltered. */
export function verifyTicketSecret(secret: string, publicKey: KeyObject): boolean {
  if (!parseTicketSecret(secret)) return false;
  const raw = Buffer.from(secret, 'base64url');
  return verify(null, raw.subarray(0, BODY_LENGTH), publicKey, raw.subarray(BODY_LENGTH));
}
