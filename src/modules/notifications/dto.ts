import { z } from 'zod';
import type { EmailAttachment } from './transports/types.ts';

/** The messages the outbox carries; each names what to render by id. */
export type OutboxMessage =
  | { type: 'order.paid'; payload: { orderId: string } }
  /** A paid order cancelled because its payment was disputed (the money was taken back): tickets are void. */
  | { type: 'order.cancelled'; payload: { orderId: string } }
  | { type: 'order.tickets_resent'; payload: { orderId: string; requestedBy: 'customer' | 'admin' } }
  /** A paid order refunded in full (by an admin, or from the Stripe dashboard): tickets are void. */
  | { type: 'order.refunded'; payload: { orderId: string } }
  /** The payment arrived after the hold expired and the tickets were gone: the money was sent back. */
  | { type: 'order.late_payment_refunded'; payload: { orderId: string } }
  /** Seats came back and are held for the next on a waiting list: their personal link to buy them. */
  | { type: 'waitlist.offer'; payload: { entryId: string } }
  /** Part of a paid order refunded by the organizer: some tickets void (or none: a goodwill amount), the rest stay valid. */
  | { type: 'order.partially_refunded'; payload: { orderId: string; amountCents: string; ticketCount: string } };

export type Channel = 'email' | 'sms';

/**
 * What a message about an order (its tickets, or a notice that they are void) is rendered from. The orders module provides it; the notifier gets the loader
 * injected, so orders → notifications stays the only direction between the two.
 */
export type TicketMessageData = {
  orderId: string;
  orderCode: string;
  customer: { name: string; email: string; phone: string | null };
  /** timeZone: IANA; every time in a message is the event's wall clock with its abbreviation. */
  event: { id: string; name: string; startsAt: string; timeZone: string; venue: string | null };
  /** What the customer paid (and, for a refund, got back in full): minor units + ISO currency. */
  total: { amountCents: number; currency: string };
  /** Valid tickets only: empty once the order is refunded or cancelled (its notices still render). */
  tickets: {
    id: string;
    code: string;
    secret: string;
    ticketTypeName: string;
    attendeeName: string;
    addOns: { name: string; quantity: number }[];
  }[];
  /** The confirmation page, with a token that opens it. */
  link: string;
};

export type TicketMessageSource = (orderId: string) => Promise<TicketMessageData | null>;

/**
 * What the tickets email carries beside its text: files (the tickets PDF, a calendar entry) and the
 * wallets the order page offers. Injected like the loader (the passes module renders them).
 */
export type TicketEmailExtras = { attachments: EmailAttachment[]; walletsOnOrderPage: string[] };
export type TicketEmailExtrasSource = (data: TicketMessageData) => Promise<TicketEmailExtras>;

/** A waiting-list offer as its message shows it; the waitlist module provides it (injected, like tickets). */
export type WaitlistOfferData = {
  customer: { name: string; email: string; phone: string | null };
  event: { name: string; startsAt: string; timeZone: string; venue: string | null };
  ticketTypeName: string;
  quantity: number;
  /** Until when the seats are held. */
  expiresAt: string;
  /** The personal offer page, with the token in its #fragment. */
  link: string;
};

export type WaitlistOfferSource = (entryId: string) => Promise<WaitlistOfferData | null>;

export const failedNotificationSchema = z.object({
  outboxId: z.uuid(),
  type: z.string(),
  orderId: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  failedAt: z.string().nullable(),
  deliveries: z.array(
    z.object({
      channel: z.enum(['email', 'sms']),
      status: z.enum(['pending', 'sending', 'sent', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
    }),
  ),
});
export type FailedNotification = z.infer<typeof failedNotificationSchema>;

export const outboxIdInput = z.object({ outboxId: z.uuid() });

export const orderNotificationSchema = z.object({
  outboxId: z.uuid(),
  type: z.string(),
  status: z.enum(['pending', 'queued', 'sent', 'failed', 'skipped']),
  createdAt: z.string(),
  deliveries: z.array(
    z.object({
      channel: z.enum(['email', 'sms']),
      recipient: z.string(),
      status: z.enum(['pending', 'sending', 'sent', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      sentAt: z.string().nullable(),
    }),
  ),
});
export type OrderNotification = z.infer<typeof orderNotificationSchema>;
