import { trpc } from '../../trpc.ts';
import { EventCards, SaleBadge } from '../../ui/EventCards.tsx';
import { QueryView } from '../../ui/Status.tsx';
import { CreateEventForm } from './CreateEventForm.tsx';
import { FailedNotifications } from './FailedNotifications.tsx';
import { useCanEdit } from '../auth/AdminGate.tsx';

export function AdminEventsPage() {
  const events = trpc.admin.listEvents.useQuery();
  // A viewer looks: no creation form, no failed-message retries (admins only).
  const canEdit = useCanEdit();
  return (
    <section>
      <h1>Events</h1>
      <QueryView query={events} loading="Loading events…">
        {(list) => (
          <EventCards
            events={list}
            hrefOf={(e) => `/admin/events/${e.id}`}
            empty="No events yet. Create the first one below."
            extra={(e) => (
              <>
                {' '}
                · {e.currency} <SaleBadge onSale={e.onSale} />
              </>
            )}
          />
        )}
      </QueryView>
      {canEdit && <CreateEventForm />}
      {canEdit && <FailedNotifications />}
    </section>
  );
}
