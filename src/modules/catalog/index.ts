export { MAX_TICKETS_PER_ORDER_LIMIT } from './dto.ts';
export { createLoadTestEventInput } from './dto.ts';
export type { SaleEvent, ItemQuantity, PublicEvent, EventSummary, CreateEventInput, CreateLoadTestEventInput } from './dto.ts';
export { getSaleEvent, getEventInfo, createEvent, createTicketType, createAddOn, getPublicEvent, listAllEvents, ticketTypesOf, findTicketType } from './service.ts';
export { reserve, commitHolds, releaseHolds, releaseSoldUnits, holdForOffer, lockFreeSeats, setReserve, type ReserveOptions } from './inventory.ts';
export { assertSmsAllowed } from './sms.ts';
export { markEventCancelled } from './editing.ts';
export { createLoadTestEvent, retireLoadTestEvent, isLoadTestEvent, loadTestEventIds, loadTestEventForKey } from './load-test.ts';
