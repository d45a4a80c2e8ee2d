import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { trpc } from '../../../trpc.ts';
import { formatLocal } from '../../../ui/format.ts';
import { EventTabs } from '../EventTabs.tsx';
import { SearchBox } from './SearchBox.tsx';
import './orders.css';

/** Everyone holding a ticket of the event, 50 a page: by ticket code or holder name, with where each stands at the gate. */
export function AttendeesPage() {
  const { eventId = '' } = useParams();
  const [query, setQuery] = useState('');
  const attendees = trpc.admin.searchAttendees.useInfiniteQuery(
    { eventId, query: query || undefined },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );
  const rows = attendees.data?.pages.flatMap((p) => p.attendees) ?? [];
  return (
    <section>
      <EventTabs eventId={eventId} />
      <h1>Attendees</h1>
      <SearchBox label="Search attendees" placeholder="Ticket code or holder name" onSearch={setQuery} />
      {attendees.isPending ? (
        <p aria-busy="true">Loading attendees…</p>
      ) : attendees.error ? (
        <p className="error">{attendees.error.message}</p>
      ) : rows.length === 0 ? (
        <p>{query ? 'Nobody matches.' : 'No tickets issued yet.'}</p>
      ) : (
        <table className="card orders-table">
          <thead>
            <tr>
              <th>Holder</th>
              <th>Ticket</th>
              <th>Type</th>
              <th>Order</th>
              <th>Gate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} className={a.status === 'void' ? 'ticket-void' : undefined}>
                <td>{a.attendeeName}</td>
                <td>
                  {a.code}
                  {a.status === 'void' && ' (void)'}
                </td>
                <td>{a.ticketTypeName}</td>
                <td>
                  <Link to={`/admin/events/${eventId}/orders/${a.orderId}`}>{a.orderCode}</Link>
                </td>
                <td>{a.checkin ? `in ${formatLocal(a.checkin.checkedInAt)} · ${a.checkin.where}${a.checkin.exitedAt ? ' · out now' : ''}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {attendees.hasNextPage && (
        <button type="button" disabled={attendees.isFetchingNextPage} onClick={() => void attendees.fetchNextPage()}>
          {attendees.isFetchingNextPage ? 'Loading…' : 'More attendees'}
        </button>
      )}
    </section>
  );
}
