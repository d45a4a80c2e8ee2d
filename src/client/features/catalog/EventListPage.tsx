import { trpc } from '../../trpc.ts';
import { EventCards, SaleBadge } from '../../ui/EventCards.tsx';
import { QueryView } from '../../ui/Status.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

export function EventListPage() {
  const events = trpc.catalog.listEvents.useQuery();
  usePageTitle('Events');
  return (
    <section>
      <h1>Events</h1>
      <QueryView query={events} loading="Loading events…">
        {(list) => (
          <EventCards
            events={list}
            hrefOf={(e) => `/events/${e.id}`}
            empty="No events on sale right now."
            extra={(e) => !e.onSale && <SaleBadge onSale={false} />}
          />
        )}
      </QueryView>
    </section>
  );
}
