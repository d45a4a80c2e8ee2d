import { apiError, trpc } from '../../trpc.ts';

/** The customer corrects who holds a ticket (until sales end; the server says when it is too late). */
export function RenameHolder({ orderId, token, ticketId, current }: { orderId: string; token: string; ticketId: string; current: string }) {
  const utils = trpc.useUtils();
  const rename = trpc.orders.renameHolder.useMutation({ onSuccess: () => utils.orders.get.invalidate() });
  const ask = () => {
    const name = window.prompt('Who holds this ticket?', current);
    if (name && name.trim() && name.trim() !== current) rename.mutate({ orderId, token, ticketId, name: name.trim() });
  };
  return (
    <p>
      <button type="button" className="link" onClick={ask} disabled={rename.isPending}>
        Change name
      </button>
      {rename.error && (
        <span className="error" role="alert">
          {' '}
          {apiError(rename.error)?.message}
        </span>
      )}
    </p>
  );
}
