import { z } from 'zod';
import { isoDateTime } from '../../shared/dates.ts';
import { currencyProblem } from '../../shared/money.ts';
import { timeZoneSchema } from '../../shared/time-zone.ts';

const name = z.string().trim().min(1, 'Required').max(200);
const priceCents = z.number().int('Whole minor units (cents)').min(0).max(100_000_000);
const venue = z.string().trim().max(300);
const description = z.string().trim().max(5000);
const holdMinutes = z.number().int().min(1).max(1440);
/** The highest per-event cap on tickets in one order an organizer may set. */
export const MAX_TICKETS_PER_ORDER_LIMIT = 100;
const maxTicketsPerOrder = z.number().int().min(1).max(MAX_TICKETS_PER_ORDER_LIMIT);
const smsCountries = z
  .array(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'Use ISO 3166 two-letter country codes such as DE or US'),
  )
  .max(250)
  .transform((codes) => [...new Set(codes)].sort());

export const createEventInput = z.object({
  name,
  startsAt: isoDateTime,
  /** IANA zone; the admin form sends the browser's. Absent: UTC. */
  timeZone: timeZoneSchema.optional(),
  venue: venue.optional(),
  description: description.optional(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((code, ctx) => {
      const problem = currencyProblem(code);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  holdMinutes: holdMinutes.optional(),
  salesStartAt: isoDateTime.optional(),
  salesEndAt: isoDateTime.optional(),
  maxTicketsPerOrder: maxTicketsPerOrder.optional(),
  smsCountries: smsCountries.optional(),
});
export type CreateEventInput = z.infer<typeof createEventInput>;

/** A load-test event (load-test.ts): free ticket types only, named by the generator. */
export const createLoadTestEventInput = z.object({
  label: z.string().trim().max(100).optional(),
  ticketTypes: z.array(z.object({ name, capacity: z.number().int().min(1).max(10_000_000) })).min(1).max(10),
});
export type CreateLoadTestEventInput = z.infer<typeof createLoadTestEventInput>;

/** Only the fields given change; null (or "" for texts) clears venue, description and the sales window's ends. */
export const updateEventInput = z.object({
  eventId: z.uuid(),
  name: name.optional(),
  startsAt: isoDateTime.optional(),
  timeZone: timeZoneSchema.optional(),
  venue: venue.nullable().optional(),
  description: description.nullable().optional(),
  holdMinutes: holdMinutes.optional(),
  maxTicketsPerOrder: maxTicketsPerOrder.optional(),
  smsCountries: smsCountries.optional(),
  salesStartAt: isoDateTime.nullable().optional(),
  salesEndAt: isoDateTime.nullable().optional(),
  published: z.boolean().optional(),
});
export type UpdateEventInput = z.infer<typeof updateEventInput>;

/** Where an event stands for buyers right now; only `on_sale` accepts orders. */
export const saleStatusSchema = z.enum(['on_sale', 'not_yet', 'ended', 'unpublished']);
export type SaleStatus = z.infer<typeof saleStatusSchema>;

export const createTicketTypeInput = z.object({
  eventId: z.uuid(),
  name,
  priceCents,
  capacity: z.number().int().min(0).max(10_000_000).nullable(),
  /** Not shown or sold to the public; a voucher unlocks it. */
  hidden: z.boolean().optional(),
});
export type CreateTicketTypeInput = z.infer<typeof createTicketTypeInput>;

export const createAddOnInput = z.object({
  eventId: z.uuid(),
  name,
  priceCents,
  capacity: z.number().int().min(0).max(10_000_000).nullable().optional(),
  maxPerTicket: z.number().int().min(1).max(100).optional(),
});
export type CreateAddOnInput = z.infer<typeof createAddOnInput>;

const capacityInput = z.number().int().min(0).max(10_000_000).nullable();
const itemEdits = {
  name: name.optional(),
  /** For orders placed from now on; orders already placed keep the price they were sold at. */
  priceCents: priceCents.optional(),
  /** Never below what is sold, held and held back for vouchers (refused with a field error). null: unlimited. */
  capacity: capacityInput.optional(),
  hidden: z.boolean().optional(),
  /** Display order in the storefront and the admin (lower first). */
  position: z.number().int().min(0).max(10_000).optional(),
};
export const updateTicketTypeInput = z.object({
  ticketTypeId: z.uuid(),
  ...itemEdits,
  salesStartAt: isoDateTime.nullable().optional(),
  salesEndAt: isoDateTime.nullable().optional(),
});
export type UpdateTicketTypeInput = z.infer<typeof updateTicketTypeInput>;
export const updateAddOnInput = z.object({ addOnId: z.uuid(), ...itemEdits });
export type UpdateAddOnInput = z.infer<typeof updateAddOnInput>;

export const eventIdInput = z.object({ eventId: z.uuid() });

/** `available` is null when unlimited. */
export const publicTicketTypeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  available: z.number().int().nullable(),
});
export const publicAddOnSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  priceCents: z.number().int(),
  available: z.number().int().nullable(),
  maxPerTicket: z.number().int(),
});

export const eventSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  venue: z.string().nullable(),
  description: z.string().nullable(),
  startsAt: z.string(),
  /** IANA zone the event's times are shown in. */
  timeZone: z.string(),
  currency: z.string(),
  onSale: z.boolean(),
  maxTicketsPerOrder: z.number().int(),
  /** Empty: the checkout asks for no phone number. */
  smsCountries: z.array(z.string()),
});
export type EventSummary = z.infer<typeof eventSummarySchema>;

export const publicEventSchema = eventSummarySchema.extend({
  ticketTypes: z.array(publicTicketTypeSchema),
  addOns: z.array(publicAddOnSchema),
});
export type PublicEvent = z.infer<typeof publicEventSchema>;

export const adminItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  priceCents: z.number().int(),
  capacity: z.number().int().nullable(),
  taken: z.number().int(),
  available: z.number().int().nullable(),
  /** Seats held back for voucher holders (not sold to the public). */
  reserved: z.number().int(),
  hidden: z.boolean(),
  position: z.number().int(),
  salesStartAt: z.string().nullable(),
  salesEndAt: z.string().nullable(),
});
export const adminEventSchema = eventSummarySchema.extend({
  holdMinutes: z.number().int(),
  published: z.boolean(),
  salesStartAt: z.string().nullable(),
  salesEndAt: z.string().nullable(),
  saleStatus: saleStatusSchema,
  cancelledAt: z.string().nullable(),
  ticketTypes: z.array(adminItemSchema),
  addOns: z.array(adminItemSchema.extend({ maxPerTicket: z.number().int() })),
});

/** What orders needs to price and validate a purchase. */
export type SaleEvent = {
  id: string;
  name: string;
  currency: string;
  holdMinutes: number;
  maxTicketsPerOrder: number;
  smsCountries: string[];
  /** Hidden types too (a voucher may unlock them); pricing refuses them otherwise. */
  ticketTypes: Map<string, { id: string; name: string; priceCents: number; hidden: boolean }>;
  addOns: Map<string, { id: string; name: string; priceCents: number; maxPerTicket: number }>;
};

/** One unit of capacity demand: n of a ticket type or an add-on. */
export type ItemQuantity = { kind: 'ticket_type' | 'add_on'; id: string; quantity: number };
