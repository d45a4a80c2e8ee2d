/** Order pages carry the order token in the fragment: it never reaches a server log or a Referer. */
export const orderPath = (orderId: string, token: string) => `/orders/${orderId}#token=${encodeURIComponent(token)}`;
export const payPath = (orderId: string, token: string) => `/orders/${orderId}/pay#token=${encodeURIComponent(token)}`;
export const cancelledPath = (eventId: string, orderId: string) => `/events/${eventId}?cancelled=${encodeURIComponent(orderId)}`;
