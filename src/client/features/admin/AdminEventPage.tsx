import { Link, useParams } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';
import { formatStartsAt } from '../../ui/format.ts';
import { CreateItemForm } from './CreateItemForm.tsx';
import { EditEventForm } from './EditEventForm.tsx';
import { PublishToggle, SaleStatusBadge } from './PublishToggle.tsx';
import { ItemTable } from './ItemTable.tsx';
import { EventTabs } from './EventTabs.tsx';
import { AuditList } from './AuditList.tsx';
import { CancelEventButton } from './CancelEventButton.tsx';
import { useCanEdit } from '../auth/AdminGate.tsx';

export function AdminEventPage() {
  const { eventId = '' } = useParams();
  const event = trpc.admin.getEvent.useQuery({ eventId });
  const canEdit = useCanEdit();
  return (
    <section>
      <EventTabs eventId={eventId} />
      <QueryView query={event} loading="Loading event…">
        {(e) => (
          <>
            <h1>{e.name}</h1>
            <p className="muted">
              {formatStartsAt(e.startsAt, e.timeZone)}
              {e.venue && ` · ${e.venue}`} · {e.currency} · unpaid orders hold seats for {e.holdMinutes} min
              <SaleStatusBadge status={e.saleStatus} />
            </p>
            <div className="actions">
              {canEdit && !e.cancelledAt && <PublishToggle eventId={e.id} published={e.published} />}
              {canEdit && !e.cancelledAt && <CancelEventButton eventId={e.id} name={e.name} />}
              {e.cancelledAt && <strong className="error">Cancelled {formatStartsAt(e.cancelledAt, e.timeZone)}</strong>}
              {e.published && <Link to={`/events/${e.id}`}>Open in the storefront</Link>}
            </div>
            <ItemTable caption="Ticket types" items={e.ticketTypes} currency={e.currency} edit={canEdit ? { kind: 'ticketType', eventId: e.id } : undefined} />
            {canEdit && <CreateItemForm eventId={e.id} currency={e.currency} kind="ticketType" />}
            <ItemTable caption="Add-ons" items={e.addOns} currency={e.currency} edit={canEdit ? { kind: 'addOn', eventId: e.id } : undefined} />
            {canEdit && <CreateItemForm eventId={e.id} currency={e.currency} kind="addOn" />}
            {canEdit && <EditEventForm key={e.id} event={e} />}
            {canEdit && <AuditList eventId={e.id} />}
          </>
        )}
      </QueryView>
    </section>
  );
}
