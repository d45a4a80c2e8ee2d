import { useCallback, useEffect, useState } from 'react';
import { errorMessage, redeemAddOn, scan, scannerClient, type Stats } from './api.ts';
import { CameraView } from './CameraView.tsx';
import { signal } from './feedback.ts';
import { Keypad } from './Keypad.tsx';
import { ResultOverlay, type Shown } from './ResultOverlay.tsx';

const toneOf = (s: Shown) =>
  s.kind === 'error' ? 'bad' : s.scan.result === 'ok' ? 'ok' : s.scan.result === 'already_checked_in' ? 'warn' : 'bad';

/** Scanning for one event: camera and keypad, the verdict on top, the running count below. */
export function GateScreen({ eventId, eventName, onLeave }: { eventId: string; eventName: string; onLeave?: () => void }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [busy, setBusy] = useState(false);
  const [keypad, setKeypad] = useState(false);

  const refreshStats = useCallback(() => {
    scannerClient.checkin.stats.query({ eventId }).then(setStats, () => {});
  }, [eventId]);
  useEffect(refreshStats, [refreshStats]);

  const show = useCallback((s: Shown) => {
    setShown(s);
    signal(toneOf(s));
  }, []);

  const submit = useCallback(
    async (input: { qr?: string; code?: string }) => {
      setBusy(true);
      try {
        show({ kind: 'scan', scan: await scan({ eventId, ...input }) });
      } catch (err) {
        show({ kind: 'error', message: errorMessage(err) });
      } finally {
        setBusy(false);
        refreshStats();
      }
    },
    [eventId, show, refreshStats],
  );

  async function redeem(addOnId: string) {
    if (shown?.kind !== 'scan' || !shown.scan.ticket) return;
    const ticket = shown.scan.ticket;
    setBusy(true);
    try {
      const r = await redeemAddOn(ticket.id, addOnId);
      if (r.result === 'already_redeemed') signal('warn');
      const addOns = ticket.addOns.map((a) => (a.id === addOnId ? { ...a, redeemed: true } : a));
      setShown({ ...shown, scan: { ...shown.scan, ticket: { ...ticket, addOns } } });
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
    <div className="gate">
      <header className="gate-bar">
        <span className="gate-event">{eventName}</span>
        <span className="gate-count" data-testid="checkin-count">
          {stats ? `${stats.checkedIn} / ${stats.total}` : '… / …'} in
        </span>
        {onLeave && (
          <button type="button" onClick={onLeave}>
            Change event
          </button>
        )}
      </header>
      <CameraView onCode={(qr) => void submit({ qr })} />
      <button type="button" className="gate-toggle" onClick={() => setKeypad((k) => !k)}>
        {keypad ? 'Hide keypad' : 'Enter a code'}
      </button>
      {keypad && <Keypad disabled={busy} onSubmit={(code) => void submit({ code })} />}
      {shown && <ResultOverlay shown={shown} busy={busy} onDismiss={() => setShown(null)} onRedeem={redeem} onUndo={undo} />}
    </div>
  );
}
