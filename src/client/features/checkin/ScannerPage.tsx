import { useCallback, useEffect, useState } from 'react';
import {
  adoptDeviceTokenFromUrl,
  deviceToken,
  errorMessage,
  forgetDevice,
  isRevoked,
  isTransient,
  isUnauthorized,
  scannerClient,
  type ScannerInfo,
} from './api.ts';
import { installScannerApp } from './install.ts';
import { wipe } from './offline/store.ts';
import { useGateSync } from './offline/useGateSync.ts';
import { SyncStatus } from './SyncStatus.tsx';
import { unlockSound } from './feedback.ts';
import { GateScreen } from './GateScreen.tsx';
import { LoginForm } from './LoginForm.tsx';
import './scanner.css';

const EVENT_KEY = 'gatekeeper.scannerEvent';
/** The last whoami answer of an enrolled device: lets the page start with no network (the snapshot does the rest). */
const INFO_KEY = 'gatekeeper.scannerInfo';

const cachedInfo = (): ScannerInfo | null => {
  try {
    return deviceToken() ? (JSON.parse(localStorage.getItem(INFO_KEY) ?? 'null') as ScannerInfo | null) : null;
  } catch {
    return null;
  }
};

type Load = { state: 'loading' } | { state: 'signed-out' } | { state: 'failed'; message: string } | { state: 'ready'; info: ScannerInfo };

/**
 * /scanner: an enrolled device (link `/scanner#device=<token>`) scans for its event; a signed-in staff
 * member picks the event. Nothing starts before a tap, so the browser lets us play sounds.
 */
export function ScannerPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [eventId, setEventId] = useState<string | null>(() => localStorage.getItem(EVENT_KEY));
  const [started, setStarted] = useState(false);

  const revoked = useCallback(() => {
    localStorage.removeItem(INFO_KEY);
    setStarted(false);
    setLoad({ state: 'signed-out' });
  }, []);

  const refresh = useCallback(() => {
    adoptDeviceTokenFromUrl();
    scannerClient.checkin.whoami.query().then(
      (info) => {
        if (info.kind === 'device') localStorage.setItem(INFO_KEY, JSON.stringify(info));
        setLoad({ state: 'ready', info });
      },
      async (err) => {
        const offline = isTransient(err) ? cachedInfo() : null;
        if (offline) return setLoad({ state: 'ready', info: offline });
        // A revoked device keeps no attendee data.
        if (isRevoked(err)) await wipe().catch(() => {});
        if (isRevoked(err)) localStorage.removeItem(INFO_KEY);
        setLoad(isUnauthorized(err) ? { state: 'signed-out' } : { state: 'failed', message: errorMessage(err) });
      },
    );
  }, []);
  useEffect(refresh, [refresh]);
  useEffect(installScannerApp, []);
  // An enrolled device keeps its event's snapshot fresh from the moment the page is open.
  const deviceEvent = load.state === 'ready' && load.info.kind === 'device' ? (load.info.events[0]?.id ?? null) : null;
  const gateSync = useGateSync(deviceEvent, revoked);
  const syncLine = gateSync.status && (
    <SyncStatus status={gateSync.status} onDismissConflicts={() => void gateSync.sync?.dismissConflicts()} />
  );

  if (load.state === 'loading') return <p className="scanner-page">Loading…</p>;
  if (load.state === 'failed') return <p className="scanner-page error">{load.message}</p>;
  if (load.state === 'signed-out') {
    return (
      <div className="scanner-page">
        {deviceToken() && (
          <div className="card">
            <p className="error">This device is no longer enrolled (revoked or unknown). Ask an admin for a new link, or sign in.</p>
            <button type="button" onClick={() => (forgetDevice(), refresh())}>
              Forget this device
            </button>
          </div>
        )}
        {!deviceToken() && <LoginForm onSignedIn={refresh} />}
      </div>
    );
  }

  const { info } = load;
  const event = info.events.find((e) => e.id === eventId) ?? (info.kind === 'device' ? info.events[0] : undefined);
  if (!event) {
    return (
      <div className="scanner-page">
        <h1>Which event?</h1>
        {info.events.length === 0 && <p>No events yet.</p>}
        {info.events.map((e) => (
          <button key={e.id} type="button" className="event-pick" onClick={() => (localStorage.setItem(EVENT_KEY, e.id), setEventId(e.id))}>
            {e.name} <small>{new Date(e.startsAt).toLocaleDateString()}</small>
          </button>
        ))}
      </div>
    );
  }
  if (!started) {
    return (
      <div className="scanner-page">
        <h1>{event.name}</h1>
        <p>
          Scanning as <strong>{info.name}</strong>
        </p>
        {syncLine}
        <button type="button" className="start" onClick={() => (unlockSound(), setStarted(true))}>
          Start scanning
        </button>
      </div>
    );
  }
  return (
    <GateScreen
      eventId={event.id}
      eventName={event.name}
      onLeave={info.kind === 'user' ? () => (localStorage.removeItem(EVENT_KEY), setEventId(null), setStarted(false)) : undefined}
      gateSync={info.kind === 'device' ? gateSync : null}
      syncLine={syncLine}
    />
  );
}
