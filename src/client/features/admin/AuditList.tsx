import { trpc } from '../../trpc.ts';
import { formatLocal } from '../../ui/format.ts';

/** The organizer actions on one event or one order, newest first (admins only: it names who did what). */
export function AuditList({ eventId, orderId }: { eventId?: string; orderId?: string }) {
  const log = trpc.admin.auditLog.useInfiniteQuery({ eventId, orderId }, { getNextPageParam: (last) => last.nextCursor ?? undefined });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <section aria-label="Activity">
      <h2>Activity</h2>
      {log.error && <p className="error">{log.error.message}</p>}
      {entries.length === 0 && !log.isPending && <p className="muted">No organizer actions yet.</p>}
      <ol>
        {entries.map((e) => (
          <li key={e.id}>
            {formatLocal(e.at)} — {e.actorEmail}: {e.action.replace(/^admin\./, '')}
          </li>
        ))}
      </ol>
      {log.hasNextPage && (
        <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          Older
        </button>
      )}
    </section>
  );
}
