import { formatInZone } from '../../../shared/time-zone.ts';
import { Link, useLocation, useParams } from 'react-router-dom';
import { formatMoney } from '../../../shared/money.ts';
import { trpc, type RouterOutputs } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { QueryView } from '../../ui/Status.tsx';
import { CheckoutForm } from '../catalog/CheckoutForm.tsx';
import { useCheckout } from '../catalog/useCheckout.ts';

const INCOMPLETE = 'No offer with this link. Check that you copied the whole link.';

/** A waiting-list offer: the seats held for this person, until when, and the checkout that buys them. */
export function OfferPage() {
  const { entryId = '' } = useParams();
  const token = new URLSearchParams(useLocation().hash.replace(/^#/, '')).get('token');
  const offer = trpc.waitlist.getOffer.useQuery({ entryId, token: token ?? '' }, { enabled: Boolean(token), retry: false });
  if (!token) return <p className="error">{INCOMPLETE}</p>;
  return (
    <section>
      <QueryView query={offer} loading="Loading your offer…">
        {(o) => (
          <>
            <h1>Your tickets for {o.eventName}</h1>
            {o.status === 'offered' ? (
              <OfferCheckout offer={o} access={{ entryId, token }} />
            ) : (
              <p className="notice">
                {o.status === 'claimed'
                  ? 'You already ordered these tickets; your order link was shown then.'
                  : o.status === 'lapsed'
                    ? 'This offer ran out and the tickets went to the next person waiting.'
                    : 'You are on the waiting list; we email you when tickets come back.'}{' '}
                <Link to={`/events/${o.eventId}`}>Event page</Link>
              </p>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

type Offer = RouterOutputs['waitlist']['getOffer'];

function OfferCheckout({ offer, access }: { offer: Offer; access: { entryId: string; token: string } }) {
  const checkout = useCheckout(offer.eventId);
  const lines = [{ ticketTypeId: offer.ticketTypeId, quantity: offer.quantity }];
  return (
    <>
      <p>
        {offer.quantity} × {offer.ticketTypeName} ({formatMoney(offer.priceCents, offer.currency)} each) are held for you until{' '}
        <time dateTime={offer.expiresAt ?? ''}>{offer.expiresAt ? formatInZone(offer.expiresAt, offer.timeZone) : ''}</time>.
      </p>
      <ErrorBox error={checkout.mutation.error} />
      <CheckoutForm
        totalCents={offer.priceCents * offer.quantity}
        currency={offer.currency}
        ticketCount={offer.quantity}
        smsCountries={[]}
        checkout={checkout}
        defaults={{ name: offer.name, email: offer.email }}
        holders={[{ label: offer.ticketTypeName, quantity: offer.quantity }]}
        onSubmit={(customer, attendees) =>
          checkout.mutation.mutate({ eventId: offer.eventId, customer, lines: lines.map((l, i) => ({ ...l, attendees: attendees[i] })), waitlistOffer: access })
        }
      />
    </>
  );
}
