import { z } from 'zod';
import { contactNameSchema, phoneSchema } from '../../shared/contact.ts';
import { MAX_TICKETS_PER_ORDER_LIMIT } from '../catalog/index.ts';
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
  event: z.object({ id: z.uuid(), name: z.string(), startsAt: z.string(), venue: z.string().nullable() }),
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
export const refundOrderInput = z.object({ orderId: z.uuid(), reason: z.string().trim().max(500).optional() });

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
