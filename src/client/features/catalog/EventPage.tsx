import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { apiError, trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { FieldError } from '../../ui/Field.tsx';
import { QueryView } from '../../ui/Status.tsx';
import { orderPath } from '../orders/links.ts';
import { orderLines, totalOf, type Cart, type StoreEvent } from './cart.ts';
import { CheckoutForm } from './CheckoutForm.tsx';
import { formatStartsAt } from '../../ui/format.ts';
import { TicketPicker } from './TicketPicker.tsx';
import { useCheckout } from './useCheckout.ts';
import { VoucherBox } from './VoucherBox.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

export function EventPage() {
  const { eventId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const code = params.get('voucher')?.trim() || null;
  const event = trpc.catalog.getEvent.useQuery({ eventId });
  // A separate query: a wrong code shows its message next to the box, and the page stays as it was.
  const withVoucher = trpc.catalog.getEvent.useQuery({ eventId, voucher: code ?? '' }, { enabled: code !== null, retry: false });
  usePageTitle(event.data?.name);
  const applyVoucher = (next: string | null) =>
    setParams(
      (p) => {
        if (next) p.set('voucher', next);
        else p.delete('voucher');
        return p;
      },
      { replace: true },
    );
  const voucherOk = code !== null && withVoucher.data ? withVoucher.data : null;
  return (
    <section>
      {params.get('cancelled') && (
        <div className="notice" role="status">
          Your checkout was cancelled; the seats were released.
        </div>
      )}
      <QueryView query={event} loading="Loading event…">
        {(data) => (
          <EventShop event={voucherOk ?? data} voucherCode={voucherOk ? code : null}>
            <VoucherBox
              key={code ?? ''}
              applied={code}
              voucher={voucherOk?.voucher}
              error={code ? withVoucher.error : null}
              pending={code !== null && withVoucher.isFetching}
              onApply={applyVoucher}
            />
          </EventShop>
        )}
      </QueryView>
    </section>
  );
}

function EventShop({ event, voucherCode, children }: { event: StoreEvent; voucherCode: string | null; children: ReactNode }) {
  const [cart, setCart] = useState<Cart>({});
  const checkout = useCheckout(event.id);
  const lines = orderLines(event, cart);
  const err = apiError(checkout.mutation.error);
  // The provider failed after the order was placed: its seats stay held and its page can retry payment.
  const heldOrder = err?.data.appCode === 'PAYMENT_UNAVAILABLE' ? (err.data.details as { orderId?: string; token?: string }) : null;
  return (
    <>
      <header className="event-header">
        <h1>{event.name}</h1>
        <p className="muted">
          <time dateTime={event.startsAt}>{formatStartsAt(event.startsAt, event.timeZone)}</time>
          {event.venue && ` · ${event.venue}`}
        </p>
        {event.description && <p>{event.description}</p>}
        {!event.onSale && <p className="notice">Tickets for this event are not on sale.</p>}
      </header>
      <h2>Tickets</h2>
      {event.onSale && children}
      {event.ticketTypes.length === 0 ? (
        <p>No tickets are offered yet.</p>
      ) : (
        <TicketPicker event={event} cart={cart} onChange={setCart} checkout={checkout} />
      )}
      <FieldError errors={checkout.orderErrors} />
      <ErrorBox error={checkout.mutation.error}>
        {heldOrder?.orderId && heldOrder.token && (
          <p>
            <Link to={orderPath(heldOrder.orderId, heldOrder.token)}>Go to your order to try the payment again</Link>
          </p>
        )}
      </ErrorBox>
      {event.onSale && (
        <CheckoutForm
          totalCents={totalOf(event, lines)}
          currency={event.currency}
          ticketCount={lines.reduce((n, l) => n + l.quantity, 0)}
          smsCountries={event.smsCountries}
          checkout={checkout}
          holders={lines.map((l) => ({ label: event.ticketTypes.find((t) => t.id === l.ticketTypeId)?.name ?? 'Ticket', quantity: l.quantity }))}
          onSubmit={(customer, attendees) =>
            checkout.mutation.mutate({
              eventId: event.id,
              customer,
              lines: lines.map((l, i) => ({ ...l, attendees: attendees[i] })),
              ...(voucherCode ? { voucher: voucherCode } : {}),
            })
          }
        />
      )}
    </>
  );
}
