import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { callerFor, userCaller } from '../../testing/app.ts';
import { createTestDatabase, queryRows } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { quietLog, standInTransports } from '../../testing/notifications.ts';
import { startSesStandIn, startTwilioStandIn } from '../../testing/provider-stand-ins.ts';
import { capacityBooks } from '../../testing/race.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { createNotifier } from '../../worker/notifier.ts';
import { processOutboxMessage } from '../notifications/index.ts';
import { offerToken } from './offer-token.ts';
import { sweepWaitlists } from './offers.ts';
import { completeTestPayment, expireOverdueOrders, placeOrder, refundOrder } from '../orders/index.ts';

/*
 * Waiting lists against a real PostgreSQL: seats that come back go to the people waiting, in line order,
 * held for them (nobody else can buy them) until the offer runs out, then to the next; no seat is lost.
 */

const suite = useTestDatabase(() => createTestDatabase({ poolSize: 12 }));
let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
beforeAll(async () => {
  [ses, twilio] = await Promise.all([startSesStandIn(), startTwilioStandIn()]);
});
afterAll(() => Promise.all([ses?.close(), twilio?.close()]));

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `crash: ${String(e)}`),
  );

/** A sold-out type: `capacity` seats sold in paid orders of one ticket each. */
async function soldOut(capacity: number) {
  const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity }] });
  const typeId = ticketTypeIds[0]!;
  const lines = [{ ticketTypeId: typeId, quantity: 1 }];
  const orders = [];
  for (let i = 0; i < capacity; i++) {
    const order = await placeOrder(suite.deps, { eventId, customer: customer(i), lines });
    await completeTestPayment(suite.deps, { ...order, action: 'pay' });
    orders.push(order);
  }
  return { eventId, typeId, lines, orders };
}

const waiter = (n: number) => ({ name: `Waiting ${n}`, email: `waiting${n}@example.com` });
const join = (typeId: string, n: number, quantity = 1) => callerFor(suite.deps).waitlist.join({ ticketTypeId: typeId, ...waiter(n), quantity });

async function entries(eventId: string) {
  return queryRows<{ id: string; email: string; status: string }>(
    suite.database.db,
    sql`select id, email, status from waitlist_entries where event_id = ${eventId} order by seq`,
  );
}
async function offerMessages(eventId: string) {
  return queryRows<{ id: string; entry_id: string }>(
    suite.database.db,
    sql`select o.id, o.payload->>'entryId' as entry_id from outbox_messages o join waitlist_entries w on w.id::text = o.payload->>'entryId'
        where o.type = 'waitlist.offer' and w.event_id = ${eventId} order by o.created_at`,
  );
}
const offerLink = (entryId: string) => ({ entryId, token: offerToken(suite.deps.config.appSecret!, entryId) });

/** Seats never lost: taken == units in live holds (pending orders, offers) + sold. */
async function expectBooksBalance(typeId: string) {
  const books = await capacityBooks(suite.database.db, 'ticket_type', typeId);
  expect(books.taken).toBe(books.held + books.sold);
  return books;
}

describe('waiting list', () => {
  it('three waiting, two refunds: two offers to the first two, one email each; a lapsed offer passes to the third', async () => {
    const { eventId, typeId, lines, orders } = await soldOut(2);
    await expect(callerFor(suite.deps).waitlist.join({ ticketTypeId: typeId, ...waiter(0), quantity: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    for (const n of [1, 2, 3]) expect(await join(typeId, n)).toEqual({ ahead: n - 1 });
    await expect(join(typeId, 1)).rejects.toMatchObject({ cause: { code: 'CONFLICT' } });
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(50), lines }))).toBe('SOLD_OUT');

    for (const o of orders) await refundOrder(suite.deps, { orderId: o.orderId, actor: 'test' });
    const [first, second, third] = await entries(eventId);
    expect([first, second, third].map((e) => e!.status)).toEqual(['offered', 'offered', 'waiting']);
    const messages = await offerMessages(eventId);
    expect(messages.map((m) => m.entry_id)).toEqual([first!.id, second!.id]);
    // The held seats are not for the public.
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(51), lines }))).toBe('SOLD_OUT');
    expect((await callerFor(suite.deps).catalog.getEvent({ eventId })).ticketTypes[0]!.available).toBe(0);

    // The offer email carries the personal link; the worker sends it once.
    const notifier = createNotifier(suite.deps, quietLog, { transports: standInTransports(ses, twilio) });
    for (const m of messages) expect(await processOutboxMessage(notifier, m.id)).toBe('sent');
    const mails = ses.accepted.filter((a) => a.to.startsWith('waiting'));
    expect(mails.map((m) => m.to)).toEqual(['waiting1@example.com', 'waiting2@example.com']);
    const mail = await simpleParser(mails[0]!.raw);
    expect(mail.text).toContain(`/waitlist/${first!.id}#token=${encodeURIComponent(offerLink(first!.id).token)}`);

    // The first buys at once through the link; a wrong token is NOT_FOUND.
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: waiter(1), lines, waitlistOffer: { entryId: first!.id, token: 'x'.repeat(43) } }))).toBe('NOT_FOUND');
    const bought = await placeOrder(suite.deps, { eventId, customer: waiter(1), lines, waitlistOffer: offerLink(first!.id) });
    expect(await outcome(completeTestPayment(suite.deps, { ...bought, action: 'pay' }))).toBe('ok');
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: waiter(1), lines, waitlistOffer: offerLink(first!.id) }))).toBe('OFFER_EXPIRED');

    // The second lets it run out: the sweep lapses it and offers the seat to the third.
    suite.deps.clock.advance(24 * 3600_000 + 1000);
    expect(await sweepWaitlists(suite.deps.db, suite.deps.clock())).toBe(1);
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['claimed', 'lapsed', 'offered']);
    expect((await offerMessages(eventId)).map((m) => m.entry_id)).toEqual([first!.id, second!.id, third!.id]);
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: waiter(2), lines, waitlistOffer: offerLink(second!.id) }))).toBe('OFFER_EXPIRED');
    const view = await callerFor(suite.deps).waitlist.getOffer(offerLink(third!.id));
    expect(view).toMatchObject({ status: 'offered', quantity: 1, ticketTypeId: typeId });
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(52), lines }))).toBe('SOLD_OUT');
    const last = await placeOrder(suite.deps, { eventId, customer: waiter(3), lines, waitlistOffer: offerLink(third!.id) });
    await completeTestPayment(suite.deps, { ...last, action: 'pay' });
    // (The refunded orders' void tickets stay on record: issued counts them too.)
    expect(await expectBooksBalance(typeId)).toEqual({ taken: 2, capacity: 2, held: 0, sold: 2, issued: 4 });
  });

  it('an order bought through an offer and never paid: its expiry offers the seat to the next in line', async () => {
    const { eventId, typeId, lines, orders } = await soldOut(1);
    await join(typeId, 11);
    await join(typeId, 12);
    await refundOrder(suite.deps, { orderId: orders[0]!.orderId, actor: 'test' });
    const [a, b] = await entries(eventId);
    await placeOrder(suite.deps, { eventId, customer: waiter(11), lines, waitlistOffer: offerLink(a!.id) });
    suite.deps.clock.advance(16 * 60_000);
    await expireOverdueOrders(suite.deps.db, suite.deps.clock());
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['claimed', 'offered']);
    expect((await offerMessages(eventId)).map((m) => m.entry_id)).toEqual([a!.id, b!.id]);
    await expectBooksBalance(typeId);
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: waiter(12), lines, waitlistOffer: offerLink(b!.id) }))).toBe('ok');
  });

  it('a hold that ran out: the person waiting gets the seat, not the buyer whose order found it free', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 900, capacity: 1 }] });
    const typeId = ticketTypeIds[0]!;
    const lines = [{ ticketTypeId: typeId, quantity: 1 }];
    await placeOrder(suite.deps, { eventId, customer: customer(60), lines });
    await join(typeId, 61);
    suite.deps.clock.advance(16 * 60_000);
    // No sweep ran: the buyer's own order finds the run-out hold, and offers its seat to the line first.
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(62), lines }))).toBe('SOLD_OUT');
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['offered']);
    expect(await offerMessages(eventId)).toHaveLength(1);
    await expectBooksBalance(typeId);
  });

  it('raised capacity goes to the people waiting first; capacity cannot drop below what is sold', async () => {
    const { eventId, typeId, lines } = await soldOut(2);
    await join(typeId, 71, 2);
    await join(typeId, 72, 1);
    const { caller } = await userCaller(suite.deps, 'admin');
    await expect(caller.admin.updateTicketType({ ticketTypeId: typeId, capacity: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await caller.admin.updateTicketType({ ticketTypeId: typeId, capacity: 4 });
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['offered', 'waiting']);
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(73), lines }))).toBe('SOLD_OUT');
    await caller.admin.updateTicketType({ ticketTypeId: typeId, capacity: 5 });
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['offered', 'offered']);
    expect(await expectBooksBalance(typeId)).toMatchObject({ taken: 5, capacity: 5, held: 3, sold: 2 });
  });

  it('five refunds at once while sweeps run: five offers, to the first five, one message each, no seat lost', async () => {
    const { eventId, typeId, orders } = await soldOut(5);
    for (let n = 21; n <= 28; n++) await join(typeId, n);
    const results = await Promise.all([
      ...orders.map((o) => outcome(refundOrder(suite.deps, { orderId: o.orderId, actor: 'test' }))),
      ...Array.from({ length: 5 }, () => outcome(sweepWaitlists(suite.deps.db, suite.deps.clock()))),
    ]);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    const list = await entries(eventId);
    expect(list.map((e) => e.status)).toEqual([...Array(5).fill('offered'), ...Array(3).fill('waiting')]);
    expect((await offerMessages(eventId)).map((m) => m.entry_id).sort()).toEqual(list.slice(0, 5).map((e) => e.id).sort());
    expect(await expectBooksBalance(typeId)).toMatchObject({ taken: 5, held: 5, sold: 0 });
  });

  it('the organizer sees the line, its order and the offers out', async () => {
    const { eventId, typeId, orders } = await soldOut(1);
    await join(typeId, 31, 1);
    await join(typeId, 32, 2);
    await refundOrder(suite.deps, { orderId: orders[0]!.orderId, actor: 'test' });
    const { caller } = await userCaller(suite.deps, 'admin');
    const list = await caller.admin.listWaitlist({ eventId });
    expect(list.map((e) => [e.position, e.email, e.quantity, e.status])).toEqual([
      [1, 'waiting31@example.com', 1, 'offered'],
      [2, 'waiting32@example.com', 2, 'waiting'],
    ]);
    expect(list[0]!.offerExpiresAt).not.toBeNull();
  });

  it('a type with seats on sale and nobody waiting: buy instead of joining', async () => {
    const { ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ capacity: 10 }] });
    await expect(join(ticketTypeIds[0]!, 40)).rejects.toMatchObject({ cause: { code: 'CONFLICT' } });
  });

  it('a partial refund offers its seat to the line; cancelling the event closes the line and gives the offered seat back', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity: 3 }] });
    const typeId = ticketTypeIds[0]!;
    const pair = await placeOrder(suite.deps, { eventId, customer: customer(80), lines: [{ ticketTypeId: typeId, quantity: 2 }] });
    await completeTestPayment(suite.deps, { ...pair, action: 'pay' });
    const single = await placeOrder(suite.deps, { eventId, customer: customer(81), lines: [{ ticketTypeId: typeId, quantity: 1 }] });
    await completeTestPayment(suite.deps, { ...single, action: 'pay' });
    await join(typeId, 82);
    await join(typeId, 83);

    const { caller } = await userCaller(suite.deps, 'admin');
    const [refunded] = await queryRows<{ id: string }>(suite.database.db, sql`select id from tickets where order_id = ${pair.orderId} order by id limit 1`);
    expect(await caller.admin.refundOrder({ orderId: pair.orderId, ticketIds: [refunded!.id] })).toMatchObject({ status: 'paid' });
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['offered', 'waiting']);
    expect(await offerMessages(eventId)).toHaveLength(1);
    expect(await expectBooksBalance(typeId)).toMatchObject({ taken: 3, held: 1, sold: 2 });

    // Called off: the line closes first, so the refunds that follow offer nobody a ticket to an event that is off.
    expect(await caller.admin.cancelEvent({ eventId })).toMatchObject({ refunded: 2, remaining: 0 });
    expect((await entries(eventId)).map((e) => e.status)).toEqual(['removed', 'removed']);
    expect(await offerMessages(eventId)).toHaveLength(1);
    expect(await expectBooksBalance(typeId)).toMatchObject({ taken: 0, held: 0, sold: 0 });
  });
});
