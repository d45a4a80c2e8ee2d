import { apiError, trpc } from '../../trpc.ts';

/**
 * Calls the event off: sales stop, paid orders are refunded and everyone is told. A big event takes
 * several rounds (100 orders each); the button goes on until none remain.
 */
export function CancelEventButton({ eventId, name }: { eventId: string; name: string }) {
  const utils = trpc.useUtils();
  const cancel = trpc.admin.cancelEvent.useMutation({ onSettled: () => utils.admin.getEvent.invalidate({ eventId }) });
  const run = async () => {
    const reason = window.prompt(`Cancel "${name}"? Sales stop, every paid order is refunded and every customer is told.\nReason (optional):`);
    if (reason === null) return;
    for (let round = 0; round < 1000; round++) {
      const result = await cancel.mutateAsync({ eventId, reason: reason || undefined }).catch(() => null);
      if (!result || result.remaining === 0 || (result.refunded === 0 && result.cancelled === 0)) break;
    }
  };
  return (
    <>
      <button type="button" className="danger" disabled={cancel.isPending} onClick={() => void run()}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel event'}
      </button>
      {cancel.error && <span className="error">{apiError(cancel.error)?.message}</span>}
      {cancel.data && (
        <span role="status">
          {cancel.data.remaining === 0 ? 'Event cancelled; every order is refunded or cancelled.' : `${cancel.data.remaining} orders still open (${cancel.data.failed} refunds failed): try again.`}
        </span>
      )}
    </>
  );
}
