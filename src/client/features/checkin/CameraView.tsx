import { useEffect, useRef, useState } from 'react';
import QrScanner from 'qr-scanner';

/** The same code seen again within this time (since it was last in view) is not sent again. */
export const REPEAT_IGNORE_MS = 3000;
/** Where the camera this phone last used is remembered (staff pick the back camera once, not per shift). */
const CAMERA_KEY = 'gatekeeper.camera';
/** Frames wider or taller than this are scaled down before decoding (a phone's 1080p would be slow). */
const MAX_DECODE_SIDE = 1280;

/**
 * The whole frame, not qr-scanner's default centre square: a QR held close fills the view and one held
 * tilted reaches past the centre; both must be read. Full resolution up to MAX_DECODE_SIDE, so a small
 * QR far away keeps enough pixels per module.
 */
function wholeFrame(video: HTMLVideoElement) {
  const width = video.videoWidth;
  const height = video.videoHeight;
  const scale = Math.min(1, MAX_DECODE_SIDE / Math.max(width, height));
  return { x: 0, y: 0, width, height, downScaledWidth: Math.round(width * scale), downScaledHeight: Math.round(height * scale) };
}

/**
 * Continuous QR decoding from the camera, in the browser (qr-scanner's worker): no image leaves the
 * phone, only the decoded text does. A code held in view is reported once, not on every frame.
 */
export function CameraView({ onCode }: { onCode: (text: string) => void }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const onCodeRef = useRef(onCode);
  const lastSeen = useRef(new Map<string, number>());
  const [state, setState] = useState<'starting' | 'on' | 'unavailable'>('starting');
  const scannerRef = useRef<QrScanner | null>(null);
  const [cameras, setCameras] = useState<QrScanner.Camera[]>([]);
  const [hasTorch, setHasTorch] = useState(false);
  const [torchOn, setTorchOn] = useState(false);
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
      // qr-scanner uses the platform's BarcodeDetector where the browser has one, else its own worker.
      {
        returnDetailedScanResult: true,
        preferredCamera: localStorage.getItem(CAMERA_KEY) ?? 'environment',
        maxScansPerSecond: 8,
        calculateScanRegion: wholeFrame,
      },
    );
    // Also tries the inverted image: in the default mode a QR filling the frame was never read in Chromium.
    scanner.setInversionMode('both');
    scannerRef.current = scanner;
    scanner.start().then(
      async () => {
        setState('on');
        // Labels are known once the camera permission is granted, i.e. now.
        setCameras(await QrScanner.listCameras(true).catch(() => []));
        setHasTorch(await scanner.hasFlash().catch(() => false));
      },
      () => setState('unavailable'),
    );
    return () => {
      scannerRef.current = null;
      scanner.destroy();
      video.remove();
    };
  }, []);

  const toggleTorch = async () => {
    const scanner = scannerRef.current;
    if (!scanner) return;
    await scanner.toggleFlash();
    setTorchOn(scanner.isFlashOn());
  };
  const nextCamera = async () => {
    const scanner = scannerRef.current;
    if (!scanner || cameras.length < 2) return;
    const video = boxRef.current?.querySelector('video');
    const inUse = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.getSettings().deviceId;
    const next = cameras[(cameras.findIndex((c) => c.id === inUse) + 1) % cameras.length]!;
    localStorage.setItem(CAMERA_KEY, next.id);
    await scanner.setCamera(next.id);
    setHasTorch(await scanner.hasFlash());
    setTorchOn(false);
  };

  return (
    <div className="camera" data-state={state} ref={boxRef}>
      {state === 'starting' && <p className="camera-note">Starting camera…</p>}
      {state === 'unavailable' && <p className="camera-note">No camera available here: use the keypad.</p>}
      {state === 'on' && (hasTorch || cameras.length > 1) && (
        <div className="camera-controls">
          {hasTorch && (
            <button type="button" aria-pressed={torchOn} onClick={() => void toggleTorch()}>
              {torchOn ? 'Torch off' : 'Torch on'}
            </button>
          )}
          {cameras.length > 1 && (
            <button type="button" onClick={() => void nextCamera()}>
              Switch camera
            </button>
          )}
        </div>
      )}
    </div>
  );
}
