import QRCode from 'qrcode';

// Medium error correction survives a scuffed phone screen; a quiet zone of 2 modules is enough on screen.
const options = { errorCorrectionLevel: 'M' as const, margin: 2 };

export const qrPngDataUrl = (secret: string): Promise<string> => QRCode.toDataURL(secret, { ...options, width: 320 });
export const qrPngBuffer = (secret: string): Promise<Buffer> => QRCode.toBuffer(secret, { ...options, width: 320 });
export const qrSvg = (secret: string): Promise<string> => QRCode.toString(secret, { ...options, type: 'svg' });
