import type { ScanResult } from './api.ts';

export type Shown =
  | { kind: 'scan'; scan: ScanResult; undone?: boolean }
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

const colourOf = (s: Shown) =>
  s.kind === 'error' ? 'red' : s.scan.result === 'ok' ? (s.undone ? 'grey' : 'green') : s.scan.result === 'already_checked_in' ? 'amber' : 'red';

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The full-screen verdict: colour, one word, and only what the person at the door needs. */
export function ResultOverlay({
  shown,
  onDismiss,
  onRedeem,
  onUndo,
  busy,
}: {
  shown: Shown;
  onDismiss: () => void;
  onRedeem: (addOnId: string) => void;
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
  const { scan, undone } = shown;
  const t = scan.ticket;
  return (
    <div className={`result result-${colour}`} role="alert" data-testid="scan-result" data-result={undone ? 'undone' : scan.result}>
      <h1>{undone ? 'CHECK-IN UNDONE' : HEADLINES[scan.result]}</h1>
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
          at {time(scan.previous.at)} by {scan.previous.device ?? 'a staff login'}
        </p>
      )}
      {scan.reason && scan.result !== 'ok' && scan.result !== 'already_checked_in' && <p className="result-reason">{scan.reason}</p>}
      {t && t.addOns.length > 0 && !undone && (
        <ul className="result-addons">
          {t.addOns.map((a) => (
            <li key={a.id}>
              <span>
                {a.quantity > 1 ? `${a.quantity} × ` : ''}
                {a.name}
              </span>
              {a.redeemed ? (
                <span className="redeemed">Redeemed</span>
              ) : (
                <button type="button" disabled={busy} onClick={() => onRedeem(a.id)}>
                  Redeem
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="result-actions">
        {scan.result === 'ok' && !undone && (
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
