import { Link } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';
import { formatStartsAt } from '../../ui/format.ts';
import { CreateEventForm } from './CreateEventForm.tsx';

export function AdminEventsPage() {
  const events = trpc.admin.listEvents.useQuery();
  return (
    <section>
      <h1>Events</h1>
      <QueryView query={events} loading="Loading events…">
        {(list) =>
          list.length === 0 ? (
            <p>No events yet. Create the first one below.</p>
          ) : (
            <ul className="plain-list">
              {list.map((e) => (
                <li key={e.id} className="card">
                  <h2>
                    <Link to={`/admin/events/${e.id}`}>{e.name}</Link>
                  </h2>
                  <p className="muted">
                    {formatStartsAt(e.startsAt)}
                    {e.venue && ` · ${e.venue}`} · {e.currency} · <span className="badge">{e.onSale ? 'On sale' : 'Not on sale'}</span>
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      <CreateEventForm />
    </section>
  );
}
