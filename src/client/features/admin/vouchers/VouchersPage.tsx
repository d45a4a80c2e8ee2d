import { formatInZone } from '../../../../shared/time-zone.ts';
import { Link, useParams } from 'react-router-dom';
import { formatMoney } from '../../../../shared/money.ts';
import { apiError, trpc, type RouterOutputs } from '../../../trpc.ts';
import { CreateVouchersForm } from './CreateVouchersForm.tsx';

type Voucher = RouterOutputs['admin']['listVouchers'][number];

/** An event's vouchers: create codes (one, some, or many random ones), see their uses, switch them off, export CSV. */
export function VouchersPage() {
  const { eventId = '' } = useParams();
  const utils = trpc.useUtils();
  const event = trpc.admin.getEvent.useQuery({ eventId });
  const vouchers = trpc.admin.listVouchers.useQuery({ eventId });
  const update = trpc.admin.updateVoucher.useMutation({ onSuccess: () => utils.admin.listVouchers.invalidate({ eventId }) });

  const download = async () => {
    const { filename, csv } = await utils.admin.exportVouchers.fetch({ eventId });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = filename;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  if (event.isPending || vouchers.isPending) return <p>Loading vouchers…</p>;
  if (event.error || vouchers.error) return <p className="error">{(event.error ?? vouchers.error)!.message}</p>;
  const types = new Map(event.data.ticketTypes.map((t) => [t.id, t.name]));
  const discount = (v: Voucher) =>
    'percent' in v.discount
      ? `${v.discount.percent}% off`
      : 'amountCents' in v.discount
        ? `${formatMoney(v.discount.amountCents, event.data.currency)} off`
        : `price ${formatMoney(v.discount.priceCents, event.data.currency)}`;
  return (
    <section>
      <p>
        <Link to={`/admin/events/${eventId}`}>← {event.data.name}</Link>
      </p>
      <h1>Vouchers</h1>
      <CreateVouchersForm eventId={eventId} currency={event.data.currency} timeZone={event.data.timeZone} ticketTypes={event.data.ticketTypes} />
      {update.error && <p className="error">{apiError(update.error)?.message}</p>}
      {vouchers.data.length === 0 ? (
        <p>No vouchers yet.</p>
      ) : (
        <>
          <button type="button" onClick={() => void download()}>
            Download CSV
          </button>
          <div className="table-scroll">
            <table className="card items">
              <thead>
                <tr>
                  <th>Code</th>
                  <th>Discount</th>
                  <th>Ticket types</th>
                  <th>Used</th>
                  <th>Seats held back</th>
                  <th>Valid until</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {vouchers.data.map((v) => (
                  <tr key={v.id} className={v.disabled ? 'muted' : undefined}>
                    <td>
                      <code>{v.code}</code>
                    </td>
                    <td>{discount(v)}</td>
                    <td>
                      {v.ticketTypeIds.length === 0 ? 'all' : v.ticketTypeIds.map((id) => types.get(id)).join(', ')}
                      {v.unlocksHiddenTypes && ' (unlocks hidden)'}
                    </td>
                    <td>
                      {v.uses} / {v.maxUses}
                    </td>
                    <td>{v.reservedQuantity}</td>
                    <td>{v.validUntil ? formatInZone(v.validUntil, event.data.timeZone, 'short') : '—'}</td>
                    <td>
                      <button type="button" disabled={update.isPending} onClick={() => update.mutate({ voucherId: v.id, disabled: !v.disabled })}>
                        {v.disabled ? 'Enable' : 'Disable'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
