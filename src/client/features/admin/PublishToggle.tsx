import { trpc, type RouterOutputs } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';

type SaleStatus = RouterOutputs['admin']['getEvent']['saleStatus'];

const saleStatusText: Record<SaleStatus, string> = {
  on_sale: 'On sale',
  not_yet: 'Sales not started yet',
  ended: 'Sales ended',
  unpublished: 'Unpublished',
};

/** Where the event stands for buyers right now (the server's clock decides). */
export const SaleStatusBadge = ({ status }: { status: SaleStatus }) => (
  <span className={status === 'on_sale' ? 'badge badge-ok' : 'badge'}>{saleStatusText[status]}</span>
);

/** Publishing shows the event in the storefront; unpublishing hides it and stops sales at once. */
export function PublishToggle({ eventId, published }: { eventId: string; published: boolean }) {
  const utils = trpc.useUtils();
  const update = trpc.admin.updateEvent.useMutation({ onSuccess: () => utils.admin.getEvent.invalidate({ eventId }) });
  return (
    <>
      <button type="button" disabled={update.isPending} onClick={() => update.mutate({ eventId, published: !published })}>
        {published ? 'Unpublish' : 'Publish'}
      </button>
      <ErrorBox error={update.error} />
    </>
  );
}
