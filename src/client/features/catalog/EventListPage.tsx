import { Link } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';
import { formatStartsAt } from '../../ui/format.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

export function EventListPage() {
  const events = trpc.catalog.listEvents.useQuery();
  usePageTitle('Events');
  return (
    <section>
      <h1>Events</h1>
      <QueryView query={events} loading="Loading events…">
        {(list) =>
          list.length === 0 ? (
            <p>No events on sale right now.</p>
          ) : (
            <ul className="plain-list">
              {list.map((e) => (
                <li key={e.id} className="card">
                  <h2>
                    <Link to={`/events/${e.id}`}>{e.name}</Link>
                  </h2>
                  <p className="muted">
                    <time dateTime={e.startsAt}>{formatStartsAt(e.startsAt)}</time>
                    {e.venue && ` · ${e.venue}`}
                  </p>
                  {!e.onSale && <p className="badge">Not on sale</p>}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
