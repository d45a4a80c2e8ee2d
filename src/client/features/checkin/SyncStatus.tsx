import { useEffect, useState } from 'react';
import type { GateStatus } from './offline/sync.ts';

function ago(iso: string, now: number) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

const waiting = (n: number) => (n === 0 ? '' : `, ${n} scan${n === 1 ? '' : 's'} waiting`);

/** How fresh the device's ticket list is, always on screen: staff must know when they are on their own. */
export function SyncStatus({ status, onDismissConflicts }: { status: GateStatus; onDismissConflicts: () => void }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const text = !status.online
    ? `offline${status.offlineSince ? ` for ${ago(status.offlineSince, now)}` : ''}${waiting(status.queued)}`
    : !status.ready
      ? `downloading tickets… ${status.tickets || ''}`
      : `synced ${status.syncedAt ? `${ago(status.syncedAt, now)} ago` : '…'}${waiting(status.queued)}`;
  return (
    <div className={`sync-status ${status.online ? 'sync-online' : 'sync-offline'}`}>
      <span data-testid="sync-status" data-online={status.online} data-ready={status.ready} data-queued={status.queued}>
        {text}
      </span>
      {status.problem && <span className="error"> · sync refused: {status.problem}</span>}
      {status.dropped > 0 && <span className="error"> · {status.dropped} scan(s) refused by the server as malformed</span>}
      {status.conflicts.length > 0 && (
        <div className="sync-conflicts" data-testid="sync-conflicts">
          <strong>Admitted twice while offline:</strong>
          <ul>
            {status.conflicts.map((c, i) => (
              <li key={i}>
                {c.label}: already in at {new Date(c.at).toLocaleTimeString()} by {c.device ?? 'a staff login'}
              </li>
            ))}
          </ul>
          <button type="button" onClick={onDismissConflicts}>
            Seen
          </button>
        </div>
      )}
    </div>
  );
}
