import type { Order } from './OrderSummary.tsx';

type Ticket = Order['tickets'][number];

/*
 * Download and wallet buttons. Each href is a short-lived signed link from orders.get (never the order
 * token); the page refreshes the order well before they expire (OrderQuery). A button shows only when
 * the server handed out its link, i.e. when that feature is configured.
 */

/** The whole order: every ticket in one PDF, and the event for the calendar. */
export function OrderDownloads({ order }: { order: Order }) {
  if (!order.ticketsPdfUrl && !order.calendarUrl) return null;
  return (
    <div className="actions" aria-label="Downloads">
      {order.ticketsPdfUrl && (
        <a className="button" href={order.ticketsPdfUrl} download>
          Download tickets (PDF)
        </a>
      )}
      {order.calendarUrl && (
        <a className="button" href={order.calendarUrl} download>
          Add to calendar
        </a>
      )}
    </div>
  );
}

/** One ticket into the phone's wallet; for a void ticket, Apple's pass can be replaced by a voided one. */
export function WalletButtons({ ticket }: { ticket: Ticket }) {
  const { apple, google } = ticket.walletLinks;
  if (!apple && !google) return null;
  if (ticket.status === 'void') {
    return apple ? (
      <p className="wallet-buttons">
        <a href={apple}>Mark this ticket void in Apple Wallet</a>
      </p>
    ) : null;
  }
  return (
    <p className="wallet-buttons">
      {apple && (
        <a className="button wallet-apple" href={apple}>
          Add to Apple Wallet
        </a>
      )}
      {google && (
        <a className="button wallet-google" href={google} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer">
          Save to Google Wallet
        </a>
      )}
    </p>
  );
}
