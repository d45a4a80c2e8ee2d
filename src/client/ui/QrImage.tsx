import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { TICKET_QR_OPTIONS } from '../../shared/qr-style.ts';

/** A QR code drawn in the browser from its text (the server sends text, never images). */
export function QrImage({ text, alt }: { text: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(text, TICKET_QR_OPTIONS).then(
      (url) => current && setSrc(url),
      () => current && setSrc(null),
    );
    return () => {
      current = false;
    };
  }, [text]);
  const size = TICKET_QR_OPTIONS.width;
  return src ? <img className="qr" src={src} width={size} height={size} alt={alt} /> : <div className="qr" style={{ width: size, height: size }} aria-busy="true" />;
}
