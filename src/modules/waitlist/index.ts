export type { OfferMessageData } from './dto.ts';
export { offerFreedSeats, offerWaitingSeats, sweepWaitlists, offerForOrder, claimOffer, type ClaimableOffer } from './offers.ts';
export { offerMessageData } from './service.ts';
