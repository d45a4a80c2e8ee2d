import { randomUUID } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { bytesToDecimal, decimalToBytes, decimalWidth } from '../../shared/decimal-fields.ts';
import { TICKET_QR_OPTIONS } from '../../shared/qr-style.ts';
import { encodeTicketQr, parseTicketQr, saltOfSecret } from '../../shared/ticket-qr.ts';
import { forgedQrOf, legacyTwinOf } from '../../testing/ticket-qr.ts';
import { qrPngBuffer } from './qr-image.ts';
import { generateSigningKeys, parseTicketSecret, privateKeyFrom, publicKeyFrom, signTicketSecret, verifyTicketSecret } from './qr-secret.ts';

const keys = generateSigningKeys();
const privateKey = privateKeyFrom(keys.privateKey);
const publicKey = publicKeyFrom(keys.publicKey);
const ids = { ticketId: randomUUID(), eventId: randomUUID() };
const compact = signTicketSecret(ids.ticketId, ids.eventId, privateKey);
const legacy = legacyTwinOf(compact, privateKey);

describe('ticket QR layouts', () => {
  it('issues the compact layout: 249 digits, a version-6 QR in numeric mode where the legacy text needs version 8', () => {
    expect(compact).toMatch(/^2[0-9]{248}$/);
    expect(legacy).toMatch(/^[A-Za-z0-9_-]{138}$/);
    const symbol = (text: string) => QRCode.create(text, TICKET_QR_OPTIONS);
    expect(symbol(compact).segments.map((s) => s.mode.id)).toEqual(['Numeric']);
    expect([symbol(compact).version, symbol(compact).modules.size]).toEqual([6, 41]);
    expect([symbol(legacy).version, symbol(legacy).modules.size]).toEqual([8, 49]);
  });

  it('both layouts carry the ids and verify with the event key; a forgery of either, or another key, does not', () => {
    const other = publicKeyFrom(generateSigningKeys().publicKey);
    for (const secret of [compact, legacy]) {
      expect(parseTicketSecret(secret)).toMatchObject(ids);
      expect(verifyTicketSecret(secret, publicKey)).toBe(true);
      expect(verifyTicketSecret(secret, other)).toBe(false);
      expect(parseTicketSecret(forgedQrOf(secret))).toMatchObject(ids);
      expect(verifyTicketSecret(forgedQrOf(secret), publicKey)).toBe(false);
    }
    // The version is signed: the legacy twin's signature does not pass in the compact layout.
    const swapped = encodeTicketQr(parseTicketQr(compact)!.body, parseTicketQr(legacy)!.signature);
    expect(parseTicketSecret(swapped)).toMatchObject(ids);
    expect(verifyTicketSecret(swapped, publicKey)).toBe(false);
  });

  it('keeps the salt at a fixed place in either layout: a re-issue changes it, the ticket id does not', () => {
    const reissued = signTicketSecret(ids.ticketId, ids.eventId, privateKey);
    expect(saltOfSecret(compact)).toMatch(/^[0-9]{15}$/);
    expect(saltOfSecret(reissued)).not.toBe(saltOfSecret(compact));
    expect(saltOfSecret(legacy)).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(saltOfSecret(legacyTwinOf(reissued, privateKey))).not.toBe(saltOfSecret(legacy));
  });

  it('draws the QR 320 px wide with a 4-module quiet zone, 6 px or more a module, and it reads back', async () => {
    const png = PNG.sync.read(await qrPngBuffer(compact));
    expect([png.width, png.height]).toEqual([320, 320]);
    const modules = QRCode.create(compact, TICKET_QR_OPTIONS).modules.size + 2 * TICKET_QR_OPTIONS.margin;
    expect(png.width / modules).toBeGreaterThanOrEqual(6);
    // The quiet zone: the first 4 modules' worth of rows and columns are white.
    const edge = Math.floor((4 * png.width) / modules);
    const dark = (x: number, y: number) => png.data[(y * png.width + x) * 4]! < 128;
    for (let i = 0; i < png.width; i++) for (let j = 0; j < edge; j++) expect(dark(i, j) || dark(j, i)).toBe(false);
    expect(dark(edge + 1, edge + 1)).toBe(true); // the finder pattern's corner starts right after it
    for (const secret of [compact, legacy]) {
      const image = PNG.sync.read(await qrPngBuffer(secret));
      expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(secret);
    }
  });
});

describe('decimal fields', () => {
  it('write bytes at a fixed width and read them back; other widths, non-digits and overflow are refused', () => {
    expect([16, 6, 64].map(decimalWidth)).toEqual([39, 15, 155]);
    for (const bytes of [new Uint8Array(16), new Uint8Array(16).fill(255), Uint8Array.from([0, 1, 2, 3, 254, 255])]) {
      const text = bytesToDecimal(bytes);
      expect(text).toHaveLength(decimalWidth(bytes.length));
      expect(decimalToBytes(text, bytes.length)).toEqual(bytes);
    }
    expect(bytesToDecimal(new Uint8Array(6).fill(255))).toBe(String(2 ** 48 - 1));
    expect(decimalToBytes(String(2 ** 48), 6)).toBeNull(); // one past the largest 6-byte value
    expect(decimalToBytes('12345678901234', 6)).toBeNull(); // 14 digits, not 15
    expect(decimalToBytes('12345678901234x', 6)).toBeNull();
  });
});
