import { Link, useParams } from 'react-router-dom';
import { trpc } from '../../../trpc.ts';

/** An event's waiting lists: who waits, in which order, and the offers out (until when). */
export function WaitlistAdminPage() {
  const { eventId = '' } = useParams();
  const list = trpc.admin.listWaitlist.useQuery({ eventId }, { refetchInterval: 15_000 });
  if (list.isPending) return <p>Loading the waiting list…</p>;
  if (list.error) return <p className="error">{list.error.message}</p>;
  return (
    <section>
      <p>
        <Link to={`/admin/events/${eventId}`}>← Event</Link>
      </p>
      <h1>Waiting list</h1>
      {list.data.length === 0 ? (
        <p>Nobody is waiting.</p>
      ) : (
        <div className="table-scroll">
          <table className="card items">
            <thead>
              <tr>
                <th>Place</th>
                <th>Ticket type</th>
                <th>Name</th>
                <th>Email</th>
                <th>Tickets</th>
                <th>Status</th>
                <th>Offer held until</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={e.id}>
                  <td>{e.position ?? '—'}</td>
                  <td>{e.ticketTypeName}</td>
                  <td>{e.name}</td>
                  <td>{e.email}</td>
                  <td>{e.quantity}</td>
                  <td>{e.status}</td>
                  <td>{e.offerExpiresAt ? new Date(e.offerExpiresAt).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
