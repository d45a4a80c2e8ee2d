export type { OfferMessageData } from './dto.ts';
export { offerFreedSeats, offerWaitingSeats, sweepWaitlists, offerForOrder, claimOffer, closeWaitlistsOfEvent, type ClaimableOffer } from './offers.ts';
export { offerMessageData } from './service.ts';
