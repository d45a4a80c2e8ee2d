import { apiError, trpc } from '../../trpc.ts';
import { QueryView } from '../../ui/Status.tsx';

/** Messages that gave up (provider down, address rejected …), with the last error and a Retry. */
export function FailedNotifications() {
  const utils = trpc.useUtils();
  const failed = trpc.admin.listFailedNotifications.useQuery();
  const retry = trpc.admin.retryNotification.useMutation({ onSettled: () => utils.admin.listFailedNotifications.invalidate() });
  return (
    <section className="card" aria-labelledby="failed-notifications">
      <h2 id="failed-notifications">Failed notifications</h2>
      {retry.error && <p className="error">{apiError(retry.error)?.message}</p>}
      <QueryView query={failed} loading="Loading failed notifications…">
        {(list) =>
          list.length === 0 ? (
            <p>None: every email and SMS went out.</p>
          ) : (
            <ul>
              {list.map((n) => (
                <li key={n.outboxId}>
                  <strong>{n.type}</strong> {n.orderId && <small>order {n.orderId}</small>} · {n.attempts} attempt{n.attempts === 1 ? '' : 's'}
                  {n.failedAt && <> · failed {new Date(n.failedAt).toLocaleString()}</>}
                  <br />
                  <small>
                    {n.deliveries.map((d) => `${d.channel}: ${d.status}`).join(', ')}
                    {n.lastError && ` — ${n.lastError}`}
                  </small>{' '}
                  <button type="button" disabled={retry.isPending} onClick={() => retry.mutate({ outboxId: n.outboxId })}>
                    {retry.isPending && retry.variables.outboxId === n.outboxId ? 'Retrying…' : 'Retry'}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
