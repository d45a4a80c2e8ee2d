import { useEffect, useRef, useState } from 'react';
import QrScanner from 'qr-scanner';

/** The same code seen again within this time (since it was last in view) is not sent again. */
export const REPEAT_IGNORE_MS = 3000;

/**
 * Continuous QR decoding from the camera, in the browser (qr-scanner's worker): no image leaves the
 * phone, only the decoded text does. A code held in view is reported once, not on every frame.
 */
export function CameraView({ onCode }: { onCode: (text: string) => void }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const onCodeRef = useRef(onCode);
  const lastSeen = useRef(new Map<string, number>());
  const [state, setState] = useState<'starting' | 'on' | 'unavailable'>('starting');
  onCodeRef.current = onCode;

  useEffect(() => {
    // A video element per scanner: a destroyed scanner clears its element's stream 300 ms later, which
    // would blank a successor sharing the element (React mounts effects twice in development).
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    boxRef.current!.prepend(video);
    const scanner = new QrScanner(
      video,
      ({ data }) => {
        const now = Date.now();
        const seen = lastSeen.current.get(data);
        lastSeen.current.set(data, now);
        for (const [code, at] of lastSeen.current) if (now - at > REPEAT_IGNORE_MS) lastSeen.current.delete(code);
        if (seen === undefined || now - seen > REPEAT_IGNORE_MS) onCodeRef.current(data);
      },
      { returnDetailedScanResult: true, preferredCamera: 'environment', maxScansPerSecond: 8, highlightScanRegion: true },
    );
    scanner.start().then(
      () => setState('on'),
      () => setState('unavailable'),
    );
    return () => {
      scanner.destroy();
      video.remove();
    };
  }, []);

  return (
    <div className="camera" data-state={state} ref={boxRef}>
      {state === 'starting' && <p className="camera-note">Starting camera…</p>}
      {state === 'unavailable' && <p className="camera-note">No camera available here: use the keypad.</p>}
    </div>
  );
}
