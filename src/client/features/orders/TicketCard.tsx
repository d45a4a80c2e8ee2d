import { QrImage } from '../../ui/QrImage.tsx';
import type { Order } from './OrderSummary.tsx';
import { RenameHolder } from './RenameHolder.tsx';
import { WalletButtons } from './TicketDownloads.tsx';

type Ticket = Order['tickets'][number];

/** One admitted person: big code and QR for the gate, then who and what it is for. */
export function TicketCard({ ticket, eventName, rename }: { ticket: Ticket; eventName: string; rename?: { orderId: string; token: string } }) {
  const isVoid = ticket.status === 'void';
  return (
    <article className={isVoid ? 'ticket ticket-void' : 'ticket'} aria-label={`Ticket for ${ticket.attendeeName}`}>
      <header>
        <p className="muted">{eventName}</p>
        <h2 data-testid="attendee-name">{ticket.attendeeName}</h2>
        {rename && !isVoid && <RenameHolder {...rename} ticketId={ticket.id} current={ticket.attendeeName} />}
        <p>{ticket.ticketTypeName}</p>
        {ticket.addOns.length > 0 && (
          <ul className="addon-list" aria-label="Add-ons">
            {ticket.addOns.map((a) => (
              <li key={a.name}>
                {a.quantity} × {a.name}
              </li>
            ))}
          </ul>
        )}
      </header>
      {isVoid ? (
        <>
          <p className="notice notice-error">This ticket is no longer valid.</p>
          <WalletButtons ticket={ticket} />
        </>
      ) : (
        <>
          <QrImage text={ticket.qrText} alt={`QR code of ticket ${ticket.code}`} />
          <p className="code-label">Ticket code</p>
          <p className="ticket-code" data-testid="ticket-code">
            {ticket.code}
          </p>
          <WalletButtons ticket={ticket} />
        </>
      )}
    </article>
  );
}
