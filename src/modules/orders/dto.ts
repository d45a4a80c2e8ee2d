import { z } from 'zod';
import { contactNameSchema, holderNameSchema, phoneSchema } from '../../shared/contact.ts';
import { MAX_TICKETS_PER_ORDER_LIMIT } from '../catalog/index.ts';
import { orderNotificationSchema } from '../notifications/index.ts';
import { ticketViewSchema } from '../tickets/index.ts';

export const createOrderInput = z.object({
  eventId: z.uuid(),
  customer: z.object({
    name: contactNameSchema,
    email: z.email('Enter a valid email address').max(254),
    phone: phoneSchema,
  }),
  lines: z
    .array(
      z.object({
        ticketTypeId: z.uuid(),
        quantity: z.number().int().min(1).max(MAX_TICKETS_PER_ORDER_LIMIT),
        /** Per ticket of this line. */
        addOns: z
          .array(z.object({ addOnId: z.uuid(), quantity: z.number().int().min(1).max(100) }))
          .max(20)
          .optional(),
        /** Per ticket of this line, in order: who holds it (default: the buyer). */
        attendees: z.array(z.object({ name: holderNameSchema })).max(MAX_TICKETS_PER_ORDER_LIMIT).optional(),
      }),
    )
    .min(1, 'Pick at least one ticket')
    .max(20),
  /** A voucher code: its discount, reserved seats and hidden types apply. */
  voucher: z.string().trim().max(100).optional(),
  /** A waiting-list offer link (entry id + the token from its #fragment): buys the seats held for it. */
  waitlistOffer: z.object({ entryId: z.uuid(), token: z.string().min(20).max(100) }).optional(),
});
export type CreateOrderInput = z.infer<typeof createOrderInput>;

export const orderStatusSchema = z.enum(['pending', 'paid', 'expired', 'cancelled']);

export const createOrderOutput = z.object({
  orderId: z.uuid(),
  token: z.string(),
  status: orderStatusSchema,
  paymentUrl: z.string().optional(),
});

const token = z.string().min(20).max(100);
export const orderAccessInput = z.object({ orderId: z.uuid(), token });
export const testPaymentInput = orderAccessInput.extend({ action: z.enum(['pay', 'cancel']) });

export const orderViewSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  status: orderStatusSchema,
  expiresAt: z.string(),
  customer: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
  totalCents: z.number().int(),
  currency: z.string(),
  event: z.object({ id: z.uuid(), name: z.string(), startsAt: z.string(), timeZone: z.string(), venue: z.string().nullable() }),
  lines: z.array(
    z.object({
      ticketTypeName: z.string(),
      quantity: z.number().int(),
      unitPriceCents: z.number().int(),
      addOns: z.array(z.object({ name: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() })),
    }),
  ),
  payment: z.object({ provider: z.string(), status: z.string() }).nullable(),
  /** Empty until the order is paid. */
  tickets: z.array(
    ticketViewSchema.extend({
      /**
       * Apple: a short-lived signed link to this ticket's .pkpass on our server; Google: Google's save link.
       * Each only when that wallet is configured.
       */
      walletLinks: z.object({ apple: z.string().optional(), google: z.string().optional() }),
    }),
  ),
  /** Short-lived signed links (bound to this order) to the tickets PDF and calendar entry; null unless paid. */
  ticketsPdfUrl: z.string().nullable(),
  calendarUrl: z.string().nullable(),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const listEventOrdersInput = z.object({ eventId: z.uuid() });

export const adminOrderSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  status: orderStatusSchema,
  customerName: z.string(),
  customerEmail: z.string(),
  totalCents: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  /** Why the organizer must act on this order (e.g. a won dispute whose seats were sold meanwhile); null: nothing to do. */
  attention: z.string().nullable(),
});
export type AdminOrderSummary = z.infer<typeof adminOrderSummarySchema>;

export const searchOrdersInput = z.object({
  eventId: z.uuid(),
  query: z.string().trim().max(200).optional(),
  status: orderStatusSchema.optional(),
  cursor: z.string().max(200).optional(),
});
export type SearchOrdersInput = z.infer<typeof searchOrdersInput>;

export const searchOrdersOutput = z.object({ orders: z.array(adminOrderSummarySchema), nextCursor: z.string().nullable() });

export const adminOrderDetailSchema = adminOrderSummarySchema.extend({
  customerPhone: z.string().nullable(),
  event: z.object({ id: z.uuid(), name: z.string(), startsAt: z.string(), timeZone: z.string() }),
  lines: orderViewSchema.shape.lines,
  payments: z.array(z.object({ id: z.uuid(), provider: z.string(), status: z.string(), amountCents: z.number().int(), currency: z.string() })),
  refunds: z.array(
    z.object({
      id: z.uuid(),
      amountCents: z.number().int(),
      currency: z.string(),
      ticketIds: z.array(z.string()),
      reason: z.string().nullable(),
      actor: z.string(),
      createdAt: z.string(),
    }),
  ),
  tickets: z.array(
    z.object({
      id: z.uuid(),
      code: z.string(),
      ticketTypeName: z.string(),
      attendeeName: z.string(),
      status: z.enum(['valid', 'void']),
      addOns: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
      /** Where the ticket stands at the gate: null = never checked in; `where` is the device's name. */
      checkin: z.object({ checkedInAt: z.string(), exitedAt: z.string().nullable(), where: z.string() }).nullable(),
    }),
  ),
  notifications: z.array(orderNotificationSchema),
  history: z.array(z.object({ at: z.string(), from: z.string().nullable(), to: z.string(), actor: z.string(), reason: z.string().nullable() })),
});
export type AdminOrderDetail = z.infer<typeof adminOrderDetailSchema>;

export const adminRefundInput = z.object({
  orderId: z.uuid(),
  /** Refund these tickets (voided, capacity back); none and no amount = the whole order. */
  ticketIds: z.array(z.uuid()).max(100).optional(),
  /** Minor units; with ticketIds, instead of their price; alone, a goodwill refund that voids nothing. */
  amountCents: z.number().int().min(1).max(100_000_000).optional(),
  reason: z.string().trim().max(500).optional(),
});

const checkinStateSchema = z.object({ checkedInAt: z.string(), exitedAt: z.string().nullable(), where: z.string() }).nullable();

export const searchAttendeesInput = z.object({ eventId: z.uuid(), query: z.string().trim().max(200).optional(), cursor: z.string().max(200).optional() });
export type SearchAttendeesInput = z.infer<typeof searchAttendeesInput>;

export const adminAttendeeSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  orderCode: z.string(),
  code: z.string(),
  ticketTypeName: z.string(),
  attendeeName: z.string(),
  status: z.enum(['valid', 'void']),
  checkin: checkinStateSchema,
});
export type AdminAttendee = z.infer<typeof adminAttendeeSchema>;
export const searchAttendeesOutput = z.object({ attendees: z.array(adminAttendeeSchema), nextCursor: z.string().nullable() });

export const renameHolderInput = z.object({ orderId: z.uuid(), ticketId: z.uuid(), name: holderNameSchema });
/** The customer corrects a holder's name: carries the order's token, so POST only and limited. */
export const customerRenameHolderInput = orderAccessInput.extend({ ticketId: z.uuid(), name: holderNameSchema });

export const liveStatsSchema = z.object({
  eventId: z.uuid(),
  name: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  at: z.string(),
  byTicketType: z.array(
    z.object({
      ticketTypeId: z.string(),
      name: z.string(),
      total: z.number().int(),
      sold: z.number().int(),
      revenueCents: z.number().int(),
      checkedIn: z.number().int(),
      inside: z.number().int(),
      exits: z.number().int(),
    }),
  ),
  revenueCents: z.number().int(),
  checkedIn: z.number().int(),
  inside: z.number().int(),
  exits: z.number().int(),
  total: z.number().int(),
  gates: z.array(z.object({ name: z.string(), lastMinute: z.number().int(), perMinute: z.number() })),
  scans: z.object({ total: z.number().int(), ok: z.number().int(), duplicates: z.number().int(), refused: z.number().int() }),
  arrivals: z.array(z.object({ at: z.string(), count: z.number().int() })),
  arrivalBucketMinutes: z.number().int(),
  queueClearsInMinutes: z.number().int().nullable(),
});
export type LiveStats = z.infer<typeof liveStatsSchema>;
