import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { formatMoney } from '../../../shared/money.ts';
import { formatTimeInZone } from '../../../shared/time-zone.ts';
import type { LiveStats } from '../../../modules/orders/dto.ts';
import { trpc } from '../../trpc.ts';
import { EventTabs } from './EventTabs.tsx';
import './orders/orders.css';

type Stats = LiveStats;

/**
 * The control room on event day: sales and the gates, updated within moments of each scan on any
 * server process (a subscription over Server-Sent Events, fed by PostgreSQL LISTEN/NOTIFY).
 */
export function LivePage() {
  const { eventId = '' } = useParams();
  const [stats, setStats] = useState<Stats | null>(null);
  const sub = trpc.admin.liveStats.useSubscription({ eventId }, { onData: setStats });
  return (
    <section>
      <EventTabs eventId={eventId} />
      <h1>Live{stats && `: ${stats.name}`}</h1>
      {sub.error && <p className="error">{sub.error.message}</p>}
      {!stats ? <p aria-busy="true">Connecting…</p> : <LiveNumbers stats={stats} />}
    </section>
  );
}

function LiveNumbers({ stats }: { stats: Stats }) {
  const peak = Math.max(1, ...stats.arrivals.map((a) => a.count));
  return (
    <>
      <p className="muted" role="status">
        Updated {formatTimeInZone(stats.at, stats.timeZone)}
      </p>
      <div className="live-tiles">
        <Tile label="Checked in" value={`${stats.checkedIn} / ${stats.total}`} testId="live-checked-in" />
        {stats.exits > 0 && <Tile label="Inside now" value={String(stats.inside)} />}
        <Tile label="Revenue" value={formatMoney(stats.revenueCents, stats.currency)} />
        <Tile label="Duplicates" value={String(stats.scans.duplicates)} testId="live-duplicates" />
        <Tile label="Refused scans" value={String(stats.scans.refused)} />
        <Tile label="Queue clears in" value={stats.queueClearsInMinutes === null ? '—' : `~${stats.queueClearsInMinutes} min`} />
      </div>
      <table className="card orders-table" aria-label="By ticket type">
        <thead>
          <tr>
            <th>Ticket type</th>
            <th>Sold</th>
            <th>Revenue</th>
            <th>Checked in</th>
          </tr>
        </thead>
        <tbody>
          {stats.byTicketType.map((t) => (
            <tr key={t.ticketTypeId}>
              <td>{t.name}</td>
              <td>{t.sold}</td>
              <td>{formatMoney(t.revenueCents, stats.currency)}</td>
              <td>
                {t.checkedIn} / {t.total}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Gates (scans per minute, last 5 minutes)</h2>
      <ul>
        {stats.gates.length === 0 && <li className="muted">No scans in the last 5 minutes.</li>}
        {stats.gates.map((g) => (
          <li key={g.name}>
            {g.name}: {g.perMinute}/min ({g.lastMinute} in the last minute)
          </li>
        ))}
      </ul>
      <h2>Arrivals per {stats.arrivalBucketMinutes} minutes</h2>
      <div className="arrivals" role="img" aria-label="Arrivals over time">
        {stats.arrivals.map((a) => (
          <div key={a.at} className="bar" style={{ height: `${(a.count / peak) * 100}%` }} title={`${formatTimeInZone(a.at, stats.timeZone)}: ${a.count}`} />
        ))}
      </div>
    </>
  );
}

const Tile = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <div className="card live-tile">
    <small>{label}</small>
    <strong data-testid={testId}>{value}</strong>
  </div>
);
