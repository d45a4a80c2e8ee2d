import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCaller } from '../../testing/app.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { quietLog, settledOutbox, standInTransports } from '../../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../../testing/provider-stand-ins.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { createNotifier } from '../../worker/notifier.ts';
import { expireOverdueOrders, getOrder } from '../orders/index.ts';
import { startDispatcher } from './dispatcher.ts';

/*
 * The customer is told when their order ends after all: an admin refund, a late payment sent back, a
 * dispute. Real PostgreSQL, Stripe through its SDK and stand-in, SES and Twilio through theirs.
 */

const h = useStripeHarness();
let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
let dispatcher: { stop(): Promise<void> };

const startDelivery = () =>
  startDispatcher(createNotifier(h.deps, quietLog, { transports: standInTransports(ses, twilio) }), { pollMs: 20, maxAttempts: 3, backoffMs: 10 });

beforeAll(async () => {
  [ses, twilio] = await Promise.all([startSesStandIn(), startTwilioStandIn()]);
  dispatcher = startDelivery();
});
afterAll(async () => {
  await dispatcher?.stop();
  await Promise.all([ses?.close(), twilio?.close()]);
});

const buyer = (n: number, phone?: string) => ({ name: `Buyer ${n}`, email: `notice${n}@example.com`, phone });

const eventWith = (capacity: number) => createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 2500, capacity }], smsCountries: ['GB', 'US'] });

/** The order's code and event name, as the customer sees them. */
async function shown(order: { orderId: string; token: string }) {
  const view = await getOrder(h.deps, order);
  return { code: view.code, event: view.event.name };
}

async function pay(order: { sessionId: string }) {
  const { session } = h.standIn.completeSession(order.sessionId);
  expect((await h.deliver(h.standIn.event('checkout.session.completed', session))).statusCode).toBe(200);
}

async function paidOrder(n: number, phone?: string) {
  const { eventId, ticketTypeIds } = await eventWith(5);
  const order = await h.place({ eventId, customer: buyer(n, phone), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
  await pay(order);
  // The tickets email goes out first, so what follows is only the notice.
  expect((await settledOutbox(h.deps.db, order.orderId)).map((m) => [m.type, m.status])).toEqual([['order.paid', 'sent']]);
  return order;
}

/** Every email SES accepted for this address, parsed. */
const emailsTo = (address: string) => Promise.all(ses.accepted.filter((m) => m.to === address).map((m) => simpleParser(m.raw)));
const smsTo = (phone: string) => twilio.accepted.filter((m) => m.to === phone).map((m) => m.body);

/** The order's messages once all have ended: none may have failed. */
async function endedMessages(orderId: string) {
  const rows = await settledOutbox(h.deps.db, orderId);
  return rows.map((m) => [m.type, m.status, m.lastError]);
}

describe('order notices', () => {
  it('an admin refund sends one refund email and SMS, without QR codes', async () => {
    const phone = '+442079460901';
    const order = await paidOrder(1, phone);
    const { code, event } = await shown(order);
    const { caller: admin } = await userCaller(h.deps, 'admin');
    await admin.admin.refundOrder({ orderId: order.orderId, reason: 'event moved' });

    expect(await endedMessages(order.orderId)).toEqual([
      ['order.paid', 'sent', null],
      ['order.refunded', 'sent', null],
    ]);
    const emails = await emailsTo('notice1@example.com');
    expect(emails.map((e) => e.subject)).toEqual([expect.stringMatching(/^Your tickets: /), `Refunded: ${event} (order ${code})`]);
    const refund = emails[1]!;
    const statement = `Your order ${code} for ${event} was refunded in full; your tickets are no longer valid.`;
    expect(refund.text).toContain(statement);
    expect(refund.text).toContain('Amount refunded: €50.00');
    expect(refund.html).toContain(statement);
    expect(refund.attachments).toEqual([]);
    expect(refund.html).not.toContain('cid:');

    const sms = smsTo(phone);
    expect(sms).toHaveLength(2);
    expect(sms[1]).toContain(statement);
    expect(sms[1]).toContain(`/orders/${order.orderId}`);
  });

  it('a late payment that is sent back tells the customer why', async () => {
    const { eventId, ticketTypeIds } = await eventWith(1);
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }];
    const late = await h.place({ eventId, customer: buyer(2), lines });
    h.deps.clock.advance(16 * 60_000);
    await expireOverdueOrders(h.deps.db, h.deps.clock());
    const onTime = await h.place({ eventId, customer: buyer(3), lines });
    await pay(onTime);
    await pay(late);
    const { code, event } = await shown(late);

    expect(await endedMessages(late.orderId)).toEqual([['order.late_payment_refunded', 'sent', null]]);
    const [email, ...more] = await emailsTo('notice2@example.com');
    expect(more).toEqual([]);
    expect(email!.subject).toBe(`Your payment was refunded: ${event} (order ${code})`);
    expect(email!.text).toContain(
      'Your payment arrived after your reservation expired and the tickets had sold out meanwhile; we refunded it in full.',
    );
    expect(email!.text).toContain('Amount refunded: €25.00');
    expect(email!.attachments).toEqual([]);
    // No phone given: no SMS.
    expect(twilio.accepted.filter((m) => m.body.includes(code))).toEqual([]);
  });

  it('a dispute sends the cancelled notice', async () => {
    const phone = '+442079460904';
    const order = await paidOrder(4, phone);
    const { code, event } = await shown(order);
    const dispute = h.standIn.dispute(h.standIn.chargeOf(order.sessionId).id);
    expect((await h.deliver(h.standIn.event('charge.dispute.created', dispute))).statusCode).toBe(200);

    expect(await endedMessages(order.orderId)).toEqual([
      ['order.paid', 'sent', null],
      ['order.cancelled', 'sent', null],
    ]);
    const emails = await emailsTo('notice4@example.com');
    expect(emails).toHaveLength(2);
    expect(emails[1]!.subject).toBe(`Order cancelled: ${event} (order ${code})`);
    expect(emails[1]!.text).toContain('Your order was cancelled; your tickets are no longer valid.');
    expect(emails[1]!.text).not.toContain('Amount refunded');
    expect(emails[1]!.attachments).toEqual([]);
    expect(smsTo(phone)[1]).toContain('Your order was cancelled; your tickets are no longer valid.');
  });

  it('a refund before the tickets email went out: the tickets email is skipped, the refund notice is sent', async () => {
    await dispatcher.stop();
    const { eventId, ticketTypeIds } = await eventWith(5);
    const order = await h.place({ eventId, customer: buyer(6), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
    await pay(order);
    h.deps.clock.advance(1000); // the outbox lists by creation time
    const { caller: admin } = await userCaller(h.deps, 'admin');
    await admin.admin.refundOrder({ orderId: order.orderId });
    dispatcher = startDelivery();

    const messages = await endedMessages(order.orderId);
    expect(messages.map(([type, status]) => [type, status])).toEqual([
      ['order.paid', 'skipped'],
      ['order.refunded', 'sent'],
    ]);
    const emails = await emailsTo('notice6@example.com');
    expect(emails.map((e) => e.subject)).toEqual([expect.stringMatching(/^Refunded: /)]);
  });
});
