import { useNavigate } from 'react-router-dom';
import { apiError, fieldErrorsOf, trpc, type RouterInputs } from '../../trpc.ts';
import { orderPath } from '../orders/links.ts';
import { lineKey } from './cart.ts';

export type Customer = RouterInputs['orders']['create']['customer'];

/**
 * orders.create and where it leads: a free order straight to its tickets, a priced one to the payment
 * provider (the test provider's URL is relative, Stripe's absolute: both work with location.assign).
 */
export function useCheckout(eventId: string) {
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const mutation = trpc.orders.create.useMutation({
    onSuccess(placed) {
      if (placed.paymentUrl) window.location.assign(placed.paymentUrl);
      else navigate(orderPath(placed.orderId, placed.token));
    },
    onError(err) {
      // Someone else bought the last seats: show what is left now.
      if (apiError(err)?.data.appCode === 'SOLD_OUT') void utils.catalog.getEvent.invalidate({ eventId });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submitted = mutation.variables?.lines;
  return {
    mutation,
    /** Pending, or done and leaving the page: either way a second click must not order again. */
    busy: mutation.isPending || mutation.isSuccess,
    customerErrors: (field: keyof Customer) => errors(`customer.${field}`),
    ticketErrors(ticketTypeId: string) {
      const key = lineKey(submitted, ticketTypeId);
      return key ? errors(`${key}.quantity`, `${key}.ticketTypeId`) : undefined;
    },
    addOnErrors(ticketTypeId: string, addOnId: string) {
      const key = lineKey(submitted, ticketTypeId, addOnId);
      return key ? errors(`${key}.quantity`, `${key}.addOnId`) : undefined;
    },
    holderErrors: (line: number, n: number) => errors(`lines.${line}.attendees.${n}.name`, `lines.${line}.attendees`),
    /** Messages about the order as a whole ("Pick at least one ticket"). */
    orderErrors: errors('lines'),
  };
}
