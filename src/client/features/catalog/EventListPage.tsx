import { Link } from 'react-router-dom';
import { trpc } from '../../trpc.ts';

export function EventListPage() {
  const events = trpc.catalog.listEvents.useQuery();
  if (events.isPending) return <p>Loading events…</p>;
  if (events.error) return <p className="error">{events.error.message}</p>;
  if (events.data.length === 0) return <p>No events on sale right now.</p>;
  return (
    <section>
      <h1>Events</h1>
      {events.data.map((e) => (
        <article key={e.id} className="card">
          <h2>
            <Link to={`/events/${e.id}`}>{e.name}</Link>
          </h2>
          <p>
            {new Date(e.startsAt).toLocaleString()} {e.venue ? `· ${e.venue}` : ''}
          </p>
        </article>
      ))}
    </section>
  );
}
