import { Link, NavLink } from 'react-router-dom';
import { useCanEdit } from '../auth/AdminGate.tsx';

/** The organizer's views of one event, under a way back to all events; every event page shows them on top. */
export function EventTabs({ eventId }: { eventId: string }) {
  const base = `/admin/events/${eventId}`;
  // Vouchers and the waiting list are managed, not watched: a read-only viewer has no use for them.
  const canEdit = useCanEdit();
  return (
    <>
      <p>
        <Link to="/admin">← All events</Link>
      </p>
      <nav className="admin-nav event-tabs" aria-label="Event">
        <NavLink to={base} end>
          Details
        </NavLink>
        <NavLink to={`${base}/orders`}>Orders</NavLink>
        <NavLink to={`${base}/attendees`}>Attendees</NavLink>
        <NavLink to={`${base}/live`}>Live</NavLink>
        <NavLink to={`${base}/devices`}>Scanner devices</NavLink>
        {canEdit && <NavLink to={`${base}/vouchers`}>Vouchers</NavLink>}
        {canEdit && <NavLink to={`${base}/waitlist`}>Waiting list</NavLink>}
        <span className="muted">
          CSV: <a href={`${base}/export/orders.csv`}>orders</a> · <a href={`${base}/export/attendees.csv`}>attendees</a> ·{' '}
          <a href={`${base}/export/checkins.csv`}>check-ins</a>
        </span>
      </nav>
    </>
  );
}
