import { formatMoney } from '../../../shared/money.ts';
import { FieldError } from '../../ui/Field.tsx';
import { QuantityPicker } from '../../ui/QuantityPicker.tsx';
import { availabilityText, setAddOnQuantity, setQuantity, type Cart, type StoreEvent } from './cart.ts';
import type { useCheckout } from './useCheckout.ts';
import { WaitlistForm } from '../waitlist/WaitlistForm.tsx';

type Props = {
  event: StoreEvent;
  cart: Cart;
  onChange(cart: Cart): void;
  checkout: ReturnType<typeof useCheckout>;
};

/** Ticket types with price and what is left; under each picked type, its add-ons per ticket. */
export function TicketPicker({ event, cart, onChange, checkout }: Props) {
  const disabled = !event.onSale || checkout.busy;
  return (
    <ul className="plain-list">
      {event.ticketTypes.map((type) => {
        const quantity = cart[type.id]?.quantity ?? 0;
        const left = availabilityText(type.available);
        return (
          <li key={type.id} className="ticket-type">
            <div className="ticket-row">
              <div>
                <h3>{type.name}</h3>
                <p>
                  <Price cents={type.priceCents} currency={type.currency} voucherCents={type.voucherPriceCents} />
                  {left && <span className={type.available === 0 ? 'badge badge-out' : 'badge'}>{left}</span>}
                </p>
              </div>
              <QuantityPicker
                label={`Quantity of ${type.name}`}
                value={quantity}
                max={Math.min(type.available ?? event.maxTicketsPerOrder, event.maxTicketsPerOrder)}
                disabled={disabled}
                onChange={(n) => onChange(setQuantity(cart, type.id, n))}
              />
            </div>
            <FieldError errors={checkout.ticketErrors(type.id)} />
            {event.onSale && type.available === 0 && (
              <details className="waitlist">
                <summary>Sold out — join the waiting list</summary>
                <WaitlistForm ticketTypeId={type.id} ticketTypeName={type.name} maxTickets={event.maxTicketsPerOrder} smsCountries={event.smsCountries} />
              </details>
            )}
            {quantity > 0 && event.addOns.length > 0 && (
              <fieldset className="add-ons">
                <legend>Add-ons for each {type.name} ticket</legend>
                {event.addOns.map((addOn) => {
                  const addOnLeft = availabilityText(addOn.available);
                  const perTicketLeft = addOn.available === null ? Infinity : Math.floor(addOn.available / quantity);
                  return (
                    <div key={addOn.id} className="add-on">
                      <div className="ticket-row">
                        <span>
                          {addOn.name} <span className="muted">+{formatMoney(addOn.priceCents, event.currency)} per ticket</span>
                          {addOnLeft && <span className="badge">{addOnLeft}</span>}
                        </span>
                        <QuantityPicker
                          label={`${addOn.name} per ${type.name} ticket`}
                          value={cart[type.id]?.addOns[addOn.id] ?? 0}
                          max={Math.min(addOn.maxPerTicket, perTicketLeft)}
                          disabled={disabled}
                          onChange={(n) => onChange(setAddOnQuantity(cart, type.id, addOn.id, n))}
                        />
                      </div>
                      <FieldError errors={checkout.addOnErrors(type.id, addOn.id)} />
                    </div>
                  );
                })}
              </fieldset>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The price, or the voucher's price with the normal one struck through. */
function Price({ cents, currency, voucherCents }: { cents: number; currency: string; voucherCents?: number }) {
  const show = (n: number) => (n === 0 ? 'Free' : formatMoney(n, currency));
  if (voucherCents === undefined || voucherCents === cents) return <span className="price">{show(cents)}</span>;
  return (
    <span className="price">
      <del aria-label={`was ${show(cents)}`}>{show(cents)}</del> <strong data-testid="voucher-price">{show(voucherCents)}</strong>
    </span>
  );
}
