export type { SaleEvent, ItemQuantity, PublicEvent, EventSummary, CreateEventInput } from './dto.ts';
export { getSaleEvent, getEventInfo, createEvent, createTicketType, createAddOn, getPublicEvent, listAllEvents } from './service.ts';
export { reserve, commitHolds, releaseHolds } from './inventory.ts';
