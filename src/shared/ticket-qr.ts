/*
 * The ticket QR format, as pure code the server and the scanner page share (no Node-only imports):
 * base64url( version(1) | ticketId(16) | eventId(16) | salt(6) | Ed25519 signature(64) ).
 * 103 bytes -> 138 characters. Signing and verifying live with their platforms (node:crypto on the
 * server, WebCrypto in the browser); parsing is the same everywhere.
 */
export const QR_VERSION = 1;
export const QR_BODY_LENGTH = 1 + 16 + 16 + 6;
export const QR_SIGNATURE_LENGTH = 64;
const MAX_SECRET_LENGTH = 200;

export type ParsedTicketQr = {
  ticketId: string;
  eventId: string;
  /** The signed part (version, ids, salt) and its signature, for the platform's Ed25519 verify. */
  body: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
};

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const uuidOf = (b: Uint8Array) => {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

/** Reads the ids out of a secret without trusting them (no signature check): pick the key with it. */
export function parseTicketQr(secret: string): ParsedTicketQr | null {
  if (secret.length > MAX_SECRET_LENGTH || !/^[A-Za-z0-9_-]+$/.test(secret)) return null;
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = decodeBase64Url(secret);
  } catch {
    return null;
  }
  if (raw.length !== QR_BODY_LENGTH + QR_SIGNATURE_LENGTH || raw[0] !== QR_VERSION) return null;
  return {
    ticketId: uuidOf(raw.subarray(1, 17)),
    eventId: uuidOf(raw.subarray(17, 33)),
    body: raw.subarray(0, QR_BODY_LENGTH),
    signature: raw.subarray(QR_BODY_LENGTH),
  };
}

/**
 * The salt of a secret as text: base64url characters 44..51 encode exactly body bytes 33..38 (33 is a
 * multiple of 3, so no character straddles the boundary). Every re-issue draws a new salt, so a
 * snapshot holding the salt (never the secret) lets a scanner refuse an outdated QR offline.
 */
export const saltOfSecret = (secret: string) => secret.slice(44, 52);
