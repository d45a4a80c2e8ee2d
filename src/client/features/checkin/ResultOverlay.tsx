import type { ScanResult } from './api.ts';

export type Shown =
  | {
      kind: 'scan';
      scan: ScanResult;
      undone?: boolean;
      /** Judged by this device from its snapshot; the server's verdict comes with the upload. */
      offline?: boolean;
      /** Admitted offline without a snapshot entry (the event allows it): amber. */
      unknown?: boolean;
      direction?: 'in' | 'out';
      /** The add-on unit this screen handed out last: it can be undone (a token given by mistake). */
      lastRedemption?: { redemptionId: string; name: string };
    }
  | { kind: 'error'; message: string };

const HEADLINES: Record<ScanResult['result'], string> = {
  ok: 'OK',
  already_checked_in: 'ALREADY CHECKED IN',
  invalid: 'INVALID',
  wrong_event: 'WRONG EVENT',
  not_paid: 'NOT PAID',
  cancelled: 'CANCELLED / REFUNDED',
  not_inside: 'NOT INSIDE',
};

export const colourOf = (s: Shown) =>
  s.kind === 'error'
    ? 'red'
    : s.scan.result === 'ok'
      ? s.undone
        ? 'grey'
        : s.unknown
          ? 'amber'
          : 'green'
      : s.scan.result === 'already_checked_in' || s.scan.result === 'not_inside'
        ? 'amber'
        : 'red';

function headline(s: Extract<Shown, { kind: 'scan' }>) {
  if (s.undone) return 'CHECK-IN UNDONE';
  if (s.unknown) return 'NOT IN SNAPSHOT';
  if (s.scan.result === 'ok' && s.direction === 'out') return 'EXIT OK';
  return HEADLINES[s.scan.result];
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The full-screen verdict: colour, one word, and only what the person at the door needs. */
export function ResultOverlay({
  shown,
  onDismiss,
  onRedeem,
  onUndoRedemption,
  onUndo,
  busy,
}: {
  shown: Shown;
  onDismiss: () => void;
  onRedeem: (addOnId: string) => void;
  onUndoRedemption: () => void;
  onUndo: () => void;
  busy: boolean;
}) {
  const colour = colourOf(shown);
  if (shown.kind === 'error') {
    return (
      <div className={`result result-${colour}`} role="alert" data-testid="scan-result" data-result="error">
        <h1>NOT CHECKED</h1>
        <p className="result-reason">{shown.message}</p>
        <button type="button" className="result-next" onClick={onDismiss}>
          Next scan
        </button>
      </div>
    );
  }
  const { scan, undone, offline } = shown;
  const t = scan.ticket;
  // Offline: no redeeming or undoing (both need the server); the verdict is this device's.
  const live = !offline;
  return (
    <div
      className={`result result-${colour}`}
      role="alert"
      data-testid="scan-result"
      data-result={undone ? 'undone' : shown.unknown ? 'not_in_snapshot' : scan.result}
      data-offline={offline ? 'true' : 'false'}
    >
      {offline && <p className="result-offline">OFFLINE</p>}
      <h1>{headline(shown)}</h1>
      {t && (
        <div className="result-ticket">
          <p className="result-name" data-testid="attendee-name">
            {t.attendeeName}
          </p>
          <p>
            {t.ticketTypeName} · code {t.code}
          </p>
        </div>
      )}
      {scan.result === 'already_checked_in' && scan.previous && (
        <p className="result-reason">
          at {time(scan.previous.at)} {offline ? '(before the last sync, or on this device)' : `by ${scan.previous.device ?? 'a staff login'}`}
        </p>
      )}
      {scan.reason && (scan.result !== 'ok' || shown.unknown) && scan.result !== 'already_checked_in' && <p className="result-reason">{scan.reason}</p>}
      {t && t.addOns.length > 0 && !undone && shown.direction !== 'out' && (
        <ul className="result-addons">
          {t.addOns.map((a) => (
            <li key={a.id} data-testid="add-on" data-left={a.left}>
              <span>
                {a.name}{' '}
                <span className="add-on-left">
                  {a.left} of {a.quantity} left
                </span>
              </span>
              {!live ? (
                <span className="redeemed">redeem when online</span>
              ) : a.left > 0 ? (
                <button type="button" disabled={busy} onClick={() => onRedeem(a.id)} aria-label={`Redeem 1 ${a.name}`}>
                  Redeem 1
                </button>
              ) : (
                <span className="redeemed">All redeemed</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="result-actions">
        {shown.lastRedemption && live && (
          <button type="button" className="result-undo" disabled={busy} onClick={onUndoRedemption}>
            Undo: give back 1 {shown.lastRedemption.name}
          </button>
        )}
        {scan.result === 'ok' && !undone && live && shown.direction !== 'out' && (
          <button type="button" className="result-undo" disabled={busy} onClick={onUndo}>
            Undo check-in
          </button>
        )}
        <button type="button" className="result-next" onClick={onDismiss}>
          Next scan
        </button>
      </div>
    </div>
  );
}
