export { MAX_TICKETS_PER_ORDER_LIMIT } from './dto.ts';
export type { SaleEvent, ItemQuantity, PublicEvent, EventSummary, CreateEventInput } from './dto.ts';
export { getSaleEvent, getEventInfo, createEvent, createTicketType, createAddOn, getPublicEvent, listAllEvents } from './service.ts';
export { reserve, commitHolds, releaseHolds, releaseSoldUnits } from './inventory.ts';
export { markEventCancelled } from './editing.ts';
