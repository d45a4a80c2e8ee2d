import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: codes are typed from paper and read over the phone.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 16 characters of 31: about 79 bits, far beyond guessing at the rate voucher checks are limited to. */
const LENGTH = 16;

/** A random voucher code from the CSPRNG. */
export function newVoucherCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** A code as typed (any case, stray spaces) → as stored; null when it cannot be a code at all. */
export function normalizeCode(typed: string): string | null {
  const code = typed.trim().toUpperCase();
  return /^[A-Z0-9_-]{4,64}$/.test(code) ? code : null;
}
