import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { formatStartsAt } from './format.ts';

type EventSummary = { id: string; name: string; startsAt: string; timeZone: string; venue: string | null; onSale: boolean };

/** Events as cards linking to `hrefOf(event)`; the storefront and the admin list both use it. */
export function EventCards<E extends EventSummary>(props: { events: E[]; hrefOf(e: E): string; empty: string; extra?(e: E): ReactNode }) {
  if (props.events.length === 0) return <p>{props.empty}</p>;
  return (
    <ul className="plain-list">
      {props.events.map((e) => (
        <li key={e.id} className="card">
          <h2>
            <Link to={props.hrefOf(e)}>{e.name}</Link>
          </h2>
          <p className="muted">
            <time dateTime={e.startsAt}>{formatStartsAt(e.startsAt, e.timeZone)}</time>
            {e.venue && ` · ${e.venue}`}
            {props.extra?.(e)}
          </p>
        </li>
      ))}
    </ul>
  );
}

export const SaleBadge = ({ onSale }: { onSale: boolean }) => <span className="badge">{onSale ? 'On sale' : 'Not on sale'}</span>;
