import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads a QR code out of a PNG data URL (what orders.get returns as ticket.qr), as a scanner would. */
export function decodeQrDataUrl(dataUrl: string): string {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) throw new Error('not a PNG data URL');
  const png = PNG.sync.read(Buffer.from(match[1]!, 'base64'));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!code) throw new Error('no QR code found in the image');
  return code.data;
}
