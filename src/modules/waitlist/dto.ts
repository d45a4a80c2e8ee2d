import { z } from 'zod';
import { MAX_TICKETS_PER_ORDER_LIMIT } from '../catalog/index.ts';
import { contactNameSchema, phoneSchema } from '../../shared/contact.ts';

export const joinWaitlistInput = z.object({
  ticketTypeId: z.uuid(),
  name: contactNameSchema,
  email: z.email('Enter a valid email address').max(254),
  phone: phoneSchema,
  quantity: z.number().int().min(1).max(MAX_TICKETS_PER_ORDER_LIMIT),
});
export type JoinWaitlistInput = z.infer<typeof joinWaitlistInput>;

export const joinWaitlistOutput = z.object({
  /** People ahead in this line (waiting or holding an offer). */
  ahead: z.number().int(),
});

export const offerAccessInput = z.object({ entryId: z.uuid(), token: z.string().min(20).max(100) });
export type OfferAccess = z.infer<typeof offerAccessInput>;

export const entryStatusSchema = z.enum(['waiting', 'offered', 'claimed', 'lapsed', 'removed']);

/** What the offer page shows the person it was sent to. */
export const offerViewSchema = z.object({
  status: entryStatusSchema,
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  ticketTypeName: z.string(),
  eventName: z.string(),
  /** The ticket's price as of now (the order is priced again on the server). */
  priceCents: z.number().int(),
  currency: z.string(),
  quantity: z.number().int(),
  name: z.string(),
  email: z.string(),
  expiresAt: z.string().nullable(),
  /** The event's IANA zone: the deadline is shown in it. */
  timeZone: z.string(),
});
export type OfferView = z.infer<typeof offerViewSchema>;

export const adminWaitlistEntrySchema = z.object({
  id: z.uuid(),
  /** 1 = first in its ticket type's line, among those still waiting or offered; null for the others. */
  position: z.number().int().nullable(),
  ticketTypeId: z.uuid(),
  ticketTypeName: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  quantity: z.number().int(),
  status: entryStatusSchema,
  joinedAt: z.string(),
  offeredAt: z.string().nullable(),
  offerExpiresAt: z.string().nullable(),
});
export type AdminWaitlistEntry = z.infer<typeof adminWaitlistEntrySchema>;

/** The data an offer message is rendered from (declared by notifications, which renders it). */
export type { WaitlistOfferData as OfferMessageData } from '../notifications/index.ts';
