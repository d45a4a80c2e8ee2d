/*
 * Byte fields as fixed-width decimal numbers, for text a QR code carries in numeric mode (10 bits per 3
 * digits, 0.3 % over the information itself: the densest of the modes a phone reads back as text).
 * Fixed widths keep every field at a known offset, and one value has exactly one text: leading zeros
 * are kept, and a number too large for its field is refused instead of wrapping.
 *
 * Every scan at the gate parses one of these, so the conversions go through BigInt's own hex text
 * (one native call each way) rather than a byte-at-a-time BigInt loop.
 */

const widths = new Map<number, number>();

/** Digits of the largest number `bytes` bytes hold: 16 → 39, 6 → 15, 64 → 155. */
export function decimalWidth(bytes: number): number {
  let width = widths.get(bytes);
  if (width === undefined) {
    width = (2n ** BigInt(8 * bytes) - 1n).toString().length;
    widths.set(bytes, width);
  }
  return width;
}

const HEX_OF_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`, two digits each. */
export const hexOf = (bytes: Uint8Array): string => {
  let text = '';
  for (const b of bytes) text += HEX_OF_BYTE[b];
  return text;
};

export function bytesToDecimal(bytes: Uint8Array): string {
  const n = bytes.length === 0 ? 0n : BigInt(`0x${hexOf(bytes)}`);
  return n.toString().padStart(decimalWidth(bytes.length), '0');
}

/** The `bytes` bytes that `digits` spells, or null for text of another width, non-digits or overflow. */
export function decimalToBytes(digits: string, bytes: number): Uint8Array<ArrayBuffer> | null {
  if (digits.length !== decimalWidth(bytes) || !/^[0-9]+$/.test(digits)) return null;
  const hex = BigInt(digits).toString(16);
  if (hex.length > 2 * bytes) return null;
  const padded = hex.padStart(2 * bytes, '0');
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}
