import QRCode from 'qrcode';
import { TICKET_QR_OPTIONS } from '../../shared/qr-style.ts';

/** The QR as a PNG for emails: made once per message by the worker, never per page view. */
export const qrPngBuffer = (secret: string): Promise<Buffer> => QRCode.toBuffer(secret, TICKET_QR_OPTIONS);
