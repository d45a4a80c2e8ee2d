import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { safeErrorMessage } from '../../shared/log-safety.ts';
import type { Channel, TicketEmailExtras, TicketEmailExtrasSource, TicketMessageSource, WaitlistOfferSource } from './dto.ts';
import type { RateLimiter } from '../../shared/rate-limit.ts';
import { renderNoticeEmail, renderNoticeSms, type NoticeKind } from './render-notices.ts';
import { renderTicketsEmail, renderTicketsSms } from './render.ts';
import { renderOfferEmail, renderOfferSms } from './render-waitlist.ts';
import * as repo from './repo.ts';
import { DeliveryError, type EmailContent, type SmsContent, type Transports } from './transports/types.ts';

/** A pino-compatible subset, so Fastify's logger and the worker's console logger both fit. */
export type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Everything processing a message needs; the same for the in-process dispatcher and the BullMQ worker. */
export type Notifier = {
  db: Db;
  clock: Clock;
  transports: Transports;
  limiters: Record<Channel, RateLimiter>;
  /** The order a message is about; injected by the composition root (orders.getOrderForMessage). */
  loadTickets: TicketMessageSource;
  /** Files and wallet hints for the tickets email (the passes module's, injected); none when absent. */
  ticketEmailExtras?: TicketEmailExtrasSource;
  /** The waiting-list offer a message is about (waitlist.offerMessageData); unset: offers cannot be sent. */
  loadWaitlistOffer?: WaitlistOfferSource;
  log: Log;
};

type Step =
  | { channel: 'email'; recipient: string; render(): Promise<EmailContent> }
  | { channel: 'sms'; recipient: string; render(): Promise<SmsContent> };

/** Message types that tell the customer their tickets will not be used, and the notice each sends. */
const NOTICES: Partial<Record<string, NoticeKind>> = {
  'order.refunded': 'refunded',
  'order.late_payment_refunded': 'late_payment_refunded',
  'order.cancelled': 'cancelled',
  'order.partially_refunded': 'partially_refunded',
};

/** An email, and an SMS if the customer gave a phone number. */
function bothChannels<D extends { customer: { email: string; phone: string | null } }>(data: D, email: () => Promise<EmailContent>, sms: (phone: string) => SmsContent): Step[] {
  const steps: Step[] = [{ channel: 'email', recipient: data.customer.email, render: email }];
  const phone = data.customer.phone;
  if (phone) steps.push({ channel: 'sms', recipient: phone, render: async () => sms(phone) });
  return steps;
}

async function planOf(n: Notifier, message: repo.OutboxRow): Promise<Step[]> {
  const load = () => n.loadTickets(message.payload.orderId ?? '');
  const notice = NOTICES[message.type];
  if (notice) {
    const loaded = await load();
    // A partial refund's notice states what went back, not the order's total.
    const amount = Number(message.payload.amountCents);
    const data = loaded && notice === 'partially_refunded' && Number.isInteger(amount) ? { ...loaded, total: { ...loaded.total, amountCents: amount } } : loaded;
    return data ? bothChannels(data, async () => renderNoticeEmail(data, notice), (phone) => renderNoticeSms(data, notice, phone)) : [];
  }
  if (message.type === 'order.paid' || message.type === 'order.tickets_resent') {
    const data = await load();
    // No valid tickets (e.g. refunded before this was sent): nothing to send.
    if (!data || data.tickets.length === 0) return [];
    const kind = message.type === 'order.paid' ? 'paid' : 'resent';
    // Rendered here, once per message (the PDF costs a few ms a ticket), never per page view.
    const email = async () => renderTicketsEmail(data, kind, await (n.ticketEmailExtras?.(data) ?? noExtras));
    return bothChannels(data, email, (phone) => renderTicketsSms(data, phone));
  }
  if (message.type === 'waitlist.offer' && n.loadWaitlistOffer) {
    // Null once the offer lapsed or was used: nothing to send.
    const data = await n.loadWaitlistOffer(message.payload.entryId ?? '');
    return data ? bothChannels(data, async () => renderOfferEmail(data), (phone) => renderOfferSms(data, phone)) : [];
  }
  throw new DeliveryError(`no sender for message type ${message.type}`, { permanent: true });
}

const noExtras: TicketEmailExtras = { attachments: [], walletsOnOrderPage: [] };

type Accepted = { transport: string; providerMessageId: string };

/** Renders first, so the time a rate-limit slot is held is only the provider call. */
async function prepare(n: Notifier, step: Step): Promise<() => Promise<Accepted>> {
  if (step.channel === 'email') {
    const [content, transport] = [await step.render(), n.transports.email];
    return async () => ({ transport: transport.name, ...(await transport.send(content)) });
  }
  const [content, transport] = [await step.render(), n.transports.sms];
  return async () => ({ transport: transport.name, ...(await transport.send(content)) });
}

/**
 * Sends one channel of a message unless it was sent before. The provider's message id is recorded as
 * soon as the provider answers; a re-run finds it and does not send again. Between the provider's answer
 * and that write a crash leaves the delivery 'sending', and the next attempt sends again (the one window
 * for a duplicate, see docs/notifications.md).
 */
async function deliver(n: Notifier, outboxId: string, step: Step): Promise<void> {
  const delivery = await repo.ensureDelivery(n.db, outboxId, step.channel, step.recipient, n.clock());
  if (delivery.status === 'sent') return;
  if (delivery.status === 'sending') {
    n.log.warn({ outboxId, channel: step.channel }, 'an earlier attempt ended without an answer; sending again (a duplicate is possible)');
  }
  const send = await prepare(n, step);
  await repo.markSending(n.db, delivery.id, n.clock());
  // Last thing before the provider call: the slot is held from here until a window after the answer.
  const done = await n.limiters[step.channel].acquire();
  let accepted: Accepted;
  try {
    accepted = await send();
  } catch (err) {
    const e = asDeliveryError(err);
    await repo.recordError(n.db, delivery.id, e.permanent ? 'failed' : 'pending', e.message, n.clock());
    throw e;
  } finally {
    await done();
  }
  await repo.recordSent(n.db, delivery.id, accepted.transport, accepted.providerMessageId, n.clock());
}

export type Outcome = 'sent' | 'skipped' | 'closed_before';

/** Delivers an outbox message on every channel it needs. Throws on failure; the caller decides on retries. */
export async function processOutboxMessage(n: Notifier, outboxId: string): Promise<Outcome> {
  const message = await repo.bumpAttempts(n.db, outboxId);
  if (!message) return 'closed_before';
  const steps = await planOf(n, message);
  if (steps.length === 0) {
    await repo.finishOutbox(n.db, outboxId, 'skipped', n.clock(), 'nothing to send: no such order, or its tickets are no longer valid');
    return 'skipped';
  }
  for (const step of steps) await deliver(n, outboxId, step);
  await repo.finishOutbox(n.db, outboxId, 'sent', n.clock(), null);
  return 'sent';
}

export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  // Anything else (database hiccup, a bug in rendering) is worth another try until attempts run out.
  // The message is logged and shown to admins: a database error's must not carry its statement's parameters.
  return new DeliveryError(safeErrorMessage(err), { permanent: false, cause: err });
}

/** The message stops trying: it and every delivery not yet sent are 'failed', with the error for admins. */
export async function giveUp(n: Notifier, outboxId: string, error: string): Promise<void> {
  const now = n.clock();
  await repo.failOpenDeliveries(n.db, outboxId, error, now);
  await repo.finishOutbox(n.db, outboxId, 'failed', now, error);
  n.log.error({ outboxId, error }, 'notification failed for good');
}

/** Exponential: base, 2×base, 4×base … after the 1st, 2nd, 3rd failed attempt. */
export const backoffDelay = (baseMs: number, failedAttempts: number) => baseMs * 2 ** Math.max(0, failedAttempts - 1);
