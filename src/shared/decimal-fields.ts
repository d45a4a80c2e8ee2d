/*
 * Byte fields as fixed-width decimal numbers, for text a QR code carries in numeric mode (10 bits per 3
 * digits, 0.3 % over the information itself: the densest of the modes a phone reads back as text).
 * Fixed widths keep every field at a known offset, and one value has exactly one text: leading zeros
 * are kept, and a number too large for its field is refused instead of wrapping.
 */

/** Digits of the largest number `bytes` bytes hold: 16 → 39, 6 → 15, 64 → 155. */
export const decimalWidth = (bytes: number): number => (2n ** BigInt(8 * bytes) - 1n).toString().length;

export function bytesToDecimal(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n.toString().padStart(decimalWidth(bytes.length), '0');
}

/** The `bytes` bytes that `digits` spells, or null for text of another width, non-digits or overflow. */
export function decimalToBytes(digits: string, bytes: number): Uint8Array<ArrayBuffer> | null {
  if (digits.length !== decimalWidth(bytes) || !/^[0-9]+$/.test(digits)) return null;
  let n = BigInt(digits);
  if (n >> BigInt(8 * bytes) !== 0n) return null;
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
