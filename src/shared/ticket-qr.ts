import { bytesToDecimal, decimalToBytes, decimalWidth, hexOf } from './decimal-fields.ts';

/*
 * The ticket QR formats, as pure code the server and the scanner page share (no Node-only imports).
 * Both sign the same 39 bytes with the event's Ed25519 key, version(1) | ticketId(16) | eventId(16) |
 * salt(6), and differ only in how those bytes and the 64-byte signature are written as text:
 *
 * - compact (version 2, issued now): the version digit, then each field as a fixed-width decimal number
 *   (src/shared/decimal-fields.ts): "2" | ticketId 39 | eventId 39 | salt 15 | signature 155 = 249 digits.
 *   Digits put the QR in numeric mode (3⅓ bits a character instead of byte mode's 8): QR symbol
 *   version 6 (41 modules a side) at error correction M, against version 8 (49) for the legacy text;
 *   base32 in alphanumeric mode (165 characters) would need version 7. Digits also type the same on
 *   every keyboard layout (USB scanners in keyboard mode).
 * - legacy (version 1, issued before): base64url of the same bytes and signature, 138 characters. Still
 *   accepted while such tickets are valid; never issued again.
 *
 * The event id stays in: leaving it out (the gate knows its event) would still need version 6 at M, and
 * it is what lets the gate answer "ticket for another event", signature checked, without a database read.
 * The salt makes every re-issue a new secret. The version is signed, so one layout's signature never
 * passes for the other's.
 */
export const QR_VERSION = 2;
const LEGACY_VERSION = 1;
export const QR_SALT_LENGTH = 6;
const QR_BODY_LENGTH = 1 + 16 + 16 + QR_SALT_LENGTH;
const QR_SIGNATURE_LENGTH = 64;
const FIELD_BYTES = [16, 16, QR_SALT_LENGTH, QR_SIGNATURE_LENGTH];
const FIELD_DIGITS = FIELD_BYTES.map(decimalWidth);
const COMPACT_LENGTH = 1 + FIELD_DIGITS.reduce((a, b) => a + b, 0);
const LEGACY_LENGTH = Math.ceil(((QR_BODY_LENGTH + QR_SIGNATURE_LENGTH) * 4) / 3);

/**
 * Where each layout's text holds the salt (0-based start, length): a plain substring, so the gate
 * snapshot's SQL reads it just as saltOfSecret below does. Legacy: base64url characters
 * 44..51 encode exactly body bytes 33..38 (33 is a multiple of 3, so no character straddles them).
 */
export const SALT_IN_TEXT = {
  compact: { textLength: COMPACT_LENGTH, start: 1 + FIELD_DIGITS[0]! + FIELD_DIGITS[1]!, length: FIELD_DIGITS[2]! },
  legacy: { start: 44, length: 8 },
} as const;

export type ParsedTicketQr = {
  ticketId: string;
  eventId: string;
  /** The signed part (version, ids, salt) and its signature, for the platform's Ed25519 verify. */
  body: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
};

const uuidOf = (b: Uint8Array) => {
  const h = hexOf(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const parsedFrom = (body: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>): ParsedTicketQr => ({
  ticketId: uuidOf(body.subarray(1, 17)),
  eventId: uuidOf(body.subarray(17, 33)),
  body,
  signature,
});

/** The compact text of a signed body (which starts with QR_VERSION) and its signature. */
export function encodeTicketQr(body: Uint8Array, signature: Uint8Array): string {
  if (body.length !== QR_BODY_LENGTH || body[0] !== QR_VERSION || signature.length !== QR_SIGNATURE_LENGTH) {
    throw new Error('not a compact ticket QR body and signature');
  }
  const fields = [body.subarray(1, 17), body.subarray(17, 33), body.subarray(33), signature];
  return String(QR_VERSION) + fields.map(bytesToDecimal).join('');
}

function parseCompact(secret: string): ParsedTicketQr | null {
  if (secret[0] !== String(QR_VERSION)) return null;
  const fields: Uint8Array<ArrayBuffer>[] = [];
  let at = 1;
  for (const [i, bytes] of FIELD_BYTES.entries()) {
    const field = decimalToBytes(secret.slice(at, at + FIELD_DIGITS[i]!), bytes);
    if (!field) return null;
    fields.push(field);
    at += FIELD_DIGITS[i]!;
  }
  const [ticketId, eventId, salt, signature] = fields as [Uint8Array, Uint8Array, Uint8Array, Uint8Array<ArrayBuffer>];
  const body = new Uint8Array(QR_BODY_LENGTH);
  body[0] = QR_VERSION;
  body.set(ticketId, 1);
  body.set(eventId, 17);
  body.set(salt, 33);
  return parsedFrom(body, signature);
}

function parseLegacy(secret: string): ParsedTicketQr | null {
  if (!/^[A-Za-z0-9_-]+$/.test(secret)) return null;
  let raw: Uint8Array<ArrayBuffer>;
  try {
    const b64 = secret.replace(/-/g, '+').replace(/_/g, '/');
    raw = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  if (raw.length !== QR_BODY_LENGTH + QR_SIGNATURE_LENGTH || raw[0] !== LEGACY_VERSION) return null;
  return parsedFrom(raw.subarray(0, QR_BODY_LENGTH), raw.subarray(QR_BODY_LENGTH));
}

/** Reads the ids out of a secret of either layout without trusting them (no signature check): pick the key with it. */
export function parseTicketQr(secret: string): ParsedTicketQr | null {
  if (secret.length === COMPACT_LENGTH) return parseCompact(secret);
  if (secret.length === LEGACY_LENGTH) return parseLegacy(secret);
  return null;
}

/**
 * The salt of a secret as text. Every re-issue draws a new salt, so a snapshot holding the salt (never
 * the secret) lets a scanner refuse an outdated QR offline.
 */
export function saltOfSecret(secret: string): string {
  const { start, length } = secret.length === COMPACT_LENGTH ? SALT_IN_TEXT.compact : SALT_IN_TEXT.legacy;
  return secret.slice(start, start + length);
}
