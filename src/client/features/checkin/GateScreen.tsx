import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorMessage, isNoneLeft, redeemAddOn, scan, scannerClient, undoAddOnRedemption, type ScanResult, type Stats } from './api.ts';
import { CameraView } from './CameraView.tsx';
import { signal } from './feedback.ts';
import { GateControls, usePersisted } from './GateControls.tsx';
import { Keypad } from './Keypad.tsx';
import { judgeScan, type Direction, type Judged } from './offline/gate.ts';
import type { GateSync, GateStatus } from './offline/sync.ts';
import { colourOf, ResultOverlay, type Shown } from './ResultOverlay.tsx';
import { useHardwareKeys } from './useHardwareKeys.ts';

const TONES = { green: 'ok', amber: 'warn', red: 'bad', grey: 'ok' } as const;
/** Shortest text a keyboard-mode scanner sends for a QR (ours are 249 digits, older ones 138 characters; codes are 6-9 digits). */
const MIN_QR_TEXT = 20;

type Props = {
  eventId: string;
  eventName: string;
  onLeave?: () => void;
  /** An enrolled device's offline sync (null for a staff login: online only). */
  gateSync: { sync: GateSync | null; status: GateStatus | null } | null;
  /** The freshness line to show under the header. */
  syncLine: ReactNode;
};

/**
 * Scanning for one event: camera, keypad and hardware scanner, the verdict on top, the running count
 * and (for an enrolled device) the freshness of its offline ticket list.
 */
export function GateScreen({ eventId, eventName, onLeave, gateSync, syncLine }: Props) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [busy, setBusy] = useState(false);
  const [keypad, setKeypad] = useState(false);
  const [typed, setTyped] = useState('');
  const [direction, setDirection] = usePersisted<Direction>('gatekeeper.direction', 'in');
  const [autoNextMs, setAutoNextMs] = usePersisted<number>('gatekeeper.autoNextMs', 0);
  const device = gateSync !== null;
  const sync = gateSync?.sync;
  // A verdict that waits for a tap (amber, red) holds off new scans until it is dismissed.
  const holding = useRef(false);
  holding.current = shown !== null && colourOf(shown) !== 'green';

  const refreshStats = useCallback(() => {
    scannerClient.checkin.stats.query({ eventId }).then(setStats, () => {});
  }, [eventId]);
  useEffect(refreshStats, [refreshStats]);

  const show = useCallback((s: Shown) => {
    setShown(s);
    signal(TONES[colourOf(s)]);
  }, []);

  // Continuous mode: a green verdict clears itself after the chosen delay.
  useEffect(() => {
    if (!shown || colourOf(shown) !== 'green' || autoNextMs <= 0) return;
    const t = setTimeout(() => setShown((s) => (s === shown ? null : s)), autoNextMs);
    return () => clearTimeout(t);
  }, [shown, autoNextMs]);

  const submit = useCallback(
    async (input: { qr?: string; code?: string }) => {
      if (holding.current) return;
      setBusy(true);
      try {
        const judged: Judged = device
          ? await judgeScan(eventId, input, direction)
          : { scan: await scan({ eventId, ...input, direction }), offline: false };
        show({ kind: 'scan', scan: judged.scan, offline: judged.offline, unknown: judged.unknown, direction });
        sync?.noteLocalChange();
      } catch (err) {
        show({ kind: 'error', message: errorMessage(err) });
      } finally {
        setBusy(false);
        refreshStats();
      }
    },
    [eventId, device, direction, show, refreshStats, sync],
  );

  const submitTyped = () => {
    const text = typed.trim();
    setTyped('');
    if (/^\d{6,9}$/.test(text)) void submit({ code: text });
    else if (text.length >= MIN_QR_TEXT) void submit({ qr: text });
  };

  useHardwareKeys({
    onChar: (c) => !holding.current && setTyped((t) => (t + c).slice(0, 2000)),
    onBackspace: () => setTyped((t) => t.slice(0, -1)),
    onEnter: () => (typed === '' && shown ? setShown(null) : submitTyped()),
    onEscape: () => (setTyped(''), setShown(null)),
  });

  /** The shown ticket with one add-on's units left set to `left`. */
  const withLeft = (ticket: NonNullable<ScanResult['ticket']>, addOnId: string, left: number) => ({
    ...ticket,
    addOns: ticket.addOns.map((a) => (a.id === addOnId ? { ...a, left } : a)),
  });

  async function redeem(addOnId: string) {
    if (shown?.kind !== 'scan' || !shown.scan.ticket) return;
    const ticket = shown.scan.ticket;
    setBusy(true);
    try {
      const r = await redeemAddOn(ticket.id, addOnId);
      const lastRedemption = { redemptionId: r.redemptionId, name: r.addOn.name };
      setShown({ ...shown, scan: { ...shown.scan, ticket: withLeft(ticket, addOnId, r.left) }, lastRedemption });
    } catch (err) {
      if (!isNoneLeft(err)) return show({ kind: 'error', message: errorMessage(err) });
      // Another device took the last unit meanwhile: show none left, warn, keep the ticket on screen.
      signal('warn');
      setShown({ ...shown, scan: { ...shown.scan, ticket: withLeft(ticket, addOnId, 0) } });
    } finally {
      setBusy(false);
    }
  }

  async function undoRedemption() {
    if (shown?.kind !== 'scan' || !shown.scan.ticket || !shown.lastRedemption) return;
    const ticket = shown.scan.ticket;
    setBusy(true);
    try {
      const r = await undoAddOnRedemption(shown.lastRedemption.redemptionId);
      setShown({ ...shown, scan: { ...shown.scan, ticket: withLeft(ticket, r.addOn.id, r.left) }, lastRedemption: undefined });
    } catch (err) {
      show({ kind: 'error', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function undo() {
    if (shown?.kind !== 'scan' || !shown.scan.ticket) return;
    setBusy(true);
    try {
      await scannerClient.checkin.undo.mutate({ ticketId: shown.scan.ticket.id });
      setShown({ ...shown, undone: true });
    } catch (err) {
      show({ kind: 'error', message: errorMessage(err) });
    } finally {
      setBusy(false);
      refreshStats();
    }
  }

  return (
    <div className={`gate gate-${direction}`}>
      <header className="gate-bar">
        <span className="gate-event">{eventName}</span>
        <span className="gate-count" data-testid="checkin-count">
          {stats ? `${stats.checkedIn} / ${stats.total}` : '… / …'} in
        </span>
        {stats && (stats.exits > 0 || direction === 'out') && (
          <span className="gate-inside" data-testid="inside-count">
            {stats.inside} inside · {stats.exits} exits
          </span>
        )}
        {onLeave && (
          <button type="button" onClick={onLeave}>
            Change event
          </button>
        )}
      </header>
      {syncLine}
      <GateControls direction={direction} onDirection={setDirection} autoNextMs={autoNextMs} onAutoNextMs={setAutoNextMs} />
      <CameraView onCode={(qr) => void submit({ qr })} />
      <button type="button" className="gate-toggle" onClick={() => setKeypad((k) => !k)}>
        {keypad ? 'Hide keypad' : 'Enter a code'}
      </button>
      {keypad && <Keypad value={typed} onChange={setTyped} disabled={busy} onSubmit={submitTyped} />}
      {shown && <ResultOverlay shown={shown} busy={busy} onDismiss={() => setShown(null)} onRedeem={redeem} onUndoRedemption={undoRedemption} onUndo={undo} />}
    </div>
  );
}
