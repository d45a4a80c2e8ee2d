import { trpc } from '../../trpc.ts';

/** The event's gate rules: re-entry after an exit scan, and admitting genuine QRs missing from a device's snapshot. */
export function GateSettingsForm({ eventId }: { eventId: string }) {
  const utils = trpc.useUtils();
  const settings = trpc.admin.getGateSettings.useQuery({ eventId }, { retry: false });
  const save = trpc.admin.setGateSettings.useMutation({ onSuccess: (s) => utils.admin.getGateSettings.setData({ eventId }, s) });
  if (!settings.data) return null;
  const current = settings.data;
  const toggle = (key: keyof typeof current) => save.mutate({ eventId, ...current, [key]: !current[key] });
  return (
    <fieldset className="card gate-settings" disabled={save.isPending}>
      <legend>Gate rules</legend>
      <label>
        <input type="checkbox" checked={current.allowReentry} onChange={() => toggle('allowReentry')} /> Allow re-entry after an exit scan
      </label>
      <label>
        <input type="checkbox" checked={current.admitUnknownOffline} onChange={() => toggle('admitUnknownOffline')} /> Offline, admit a
        genuine QR missing from the device’s ticket list (amber; the server decides on upload)
      </label>
    </fieldset>
  );
}

/** Tickets two devices admitted while apart: the check-in that stayed and the one that came second. */
export function ConflictsList({ eventId }: { eventId: string }) {
  const conflicts = trpc.admin.listCheckinConflicts.useQuery({ eventId }, { retry: false, refetchInterval: 10_000 });
  const when = (iso: string) => new Date(iso).toLocaleString();
  return (
    <section className="card" data-testid="checkin-conflicts">
      <h2>Check-in conflicts</h2>
      {conflicts.data?.length === 0 && <p>None: no ticket was admitted twice by devices working offline.</p>}
      {conflicts.data && conflicts.data.length > 0 && (
        <table className="devices-table">
          <thead>
            <tr>
              <th>Ticket</th>
              <th>Checked in (kept)</th>
              <th>Admitted again offline</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.data.map((c) => (
              <tr key={c.id}>
                <td>{c.ticket ? `${c.ticket.attendeeName} · ${c.ticket.code}` : 'unknown ticket'}</td>
                <td>
                  {c.holder.device ?? 'a staff login'}, {when(c.holder.at)}
                </td>
                <td>
                  {c.device}, {when(c.scannedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
