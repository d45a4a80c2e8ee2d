export type { IssuedTicket, IssueLine, TicketView } from './dto.ts';
export { ticketViewSchema } from './dto.ts';
export {
  issueTickets,
  ticketsOfOrder,
  ticketViews,
  voidTicketsOfOrder,
  voidTickets,
  renameHolder,
  searchTickets,
  reissueTicket,
  publicKeyOf,
  verifyingKeyOf,
  exportPublicKey,
  verifyingKeyTextOf,
} from './service.ts';
export { parseTicketSecret, verifyTicketSecret } from './qr-secret.ts';
export { qrPngBuffer } from './qr-image.ts';
export { gateTicketQuery, gateAddOnQuery, validTicketCounts, changedTicketIdsQuery, gateSnapshotQuery, ticketLabels, orderIdsByTicketQuery } from './repo.ts';
