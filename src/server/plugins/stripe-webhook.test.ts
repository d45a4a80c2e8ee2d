import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { getOrder } from '../../modules/orders/index.ts';
import { orderSnapshot } from '../../testing/order-snapshot.ts';

const h = useStripeHarness();

async function pendingOrder(opts: { priceCents?: number; quantity?: number } = {}) {
  const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: opts.priceCents ?? 1200, capacity: 10 }] });
  return h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: opts.quantity ?? 2 }] });
}

const statusOf = async (o: { orderId: string; token: string }) => (await getOrder(h.deps, o)).status;

describe('POST /webhooks/stripe: what is accepted', () => {
  it('rejects a wrong signature and a stale timestamp with 400, changing nothing and asking Stripe nothing', async () => {
    const order = await pendingOrder();
    const { session } = h.standIn.completeSession(order.sessionId);
    const event = h.standIn.event('checkout.session.completed', session);
    const fetchesBefore = h.standIn.requestsTo('GET', '/v1/').length;
    expect((await h.deliver(event, { secret: 'whsec_someone_else' })).statusCode).toBe(400);
    expect((await h.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 })).statusCode).toBe(400);
    const unsigned = await h.app.inject({ method: 'POST', url: '/webhooks/stripe', payload: JSON.stringify(event), headers: { 'content-type': 'application/json' } });
    expect(unsigned.statusCode).toBe(400);
    expect(h.standIn.requestsTo('GET', '/v1/').length).toBe(fetchesBefore);
    expect(await statusOf(order)).toBe('pending');
    // The genuine delivery of the same event still works afterwards.
    expect((await h.deliver(event)).statusCode).toBe(200);
    expect(await statusOf(order)).toBe('paid');
  });

  it('acknowledges an event type it does not handle, without acting on it', async () => {
    const order = await pendingOrder();
    const { session } = h.standIn.completeSession(order.sessionId);
    const res = await h.deliver(h.standIn.event('checkout.session.updated_in_the_future', session));
    expect(res.statusCode).toBe(200);
    expect(await statusOf(order)).toBe('pending');
  });

  it('acknowledges (2xx) events about a session Stripe does not know, or one that is not ours', async () => {
    const res = await h.deliver(h.standIn.event('checkout.session.completed', { id: 'cs_test_Unknown1', object: 'checkout.session' }));
    expect(res.statusCode).toBe(200);
    const foreign = { id: 'cs_test_Foreign1', object: 'checkout.session', status: 'complete', payment_status: 'paid', metadata: { paymentId: 'shop-42', orderId: '7' } };
    h.standIn.sessions.set(foreign.id, foreign);
    expect((await h.deliver(h.standIn.event('checkout.session.completed', foreign))).statusCode).toBe(200);
  });

  it('reads the body raw only on this route: the rest of the app still parses JSON', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 0 }] });
    const res = await h.app.inject({
      method: 'POST',
      url: '/trpc/orders.create',
      payload: { eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().result.data.status).toBe('paid');
  });
});

describe('POST /webhooks/stripe: failures', () => {
  it('answers 503 while the order is locked (database busy), then succeeds on Stripe’s retry', async () => {
    const order = await pendingOrder();
    const { session } = h.standIn.completeSession(order.sessionId);
    const event = h.standIn.event('checkout.session.completed', session);
    const blocker = new pg.Client({ connectionString: h.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [order.orderId]);
      expect((await h.deliver(event)).statusCode).toBe(503);
      await blocker.query('COMMIT');
    } finally {
      await blocker.end();
    }
    expect(await statusOf(order)).toBe('pending');
    expect((await h.deliver(event)).statusCode).toBe(200);
    expect(await statusOf(order)).toBe('paid');
  });

  it('answers 503 when Stripe fails while the session is read back, and nothing is recorded', async () => {
    const order = await pendingOrder();
    const { session } = h.standIn.completeSession(order.sessionId);
    const event = h.standIn.event('checkout.session.completed', session);
    h.standIn.failWith(500);
    const res = await h.deliver(event).finally(() => h.standIn.failWith(null));
    expect(res.statusCode).toBe(503);
    expect(await statusOf(order)).toBe('pending');
    expect((await h.deliver(event)).statusCode).toBe(200);
    expect(await statusOf(order)).toBe('paid');
  });
});

describe('concurrent deliveries', () => {
  it('the same payment reported by several events at once is confirmed once: one set of tickets, one message', async () => {
    const order = await pendingOrder({ quantity: 3 });
    const { session } = h.standIn.completeSession(order.sessionId);
    const completed = h.standIn.event('checkout.session.completed', session);
    const succeeded = h.standIn.event('checkout.session.async_payment_succeeded', session);
    const deliveries = [completed, succeeded, completed, succeeded, completed, succeeded];
    const responses = await Promise.all(deliveries.map((e) => h.deliver(e)));
    // A delivery that waited too long for the order's lock answers 503; Stripe sends it again later.
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 503)).toBe(true);
    for (const [i, r] of responses.entries()) if (r.statusCode === 503) expect((await h.deliver(deliveries[i]!)).statusCode).toBe(200);
    const after = await orderSnapshot(h.deps, order);
    expect(after).toMatchObject({ status: 'paid', payment: 'confirmed', tickets: ['valid', 'valid', 'valid'], messages: ['order.paid'] });
    expect(after.changes.sort()).toEqual(['-→pending by customer', 'pending→paid by provider:stripe']);
  });
});

describe('replay: the same events 3× in shuffled order leave the state of one ordered delivery', () => {
  type Scenario = Awaited<ReturnType<typeof pendingOrder>>[];

  /** Four orders: paid; paid by bank debit later; abandoned (session expired); paid then refunded in the dashboard. */
  async function play(deliver: (events: { id: string }[]) => Promise<void>): Promise<Scenario> {
    const [paid, asyncPaid, abandoned, refunded] = [await pendingOrder(), await pendingOrder(), await pendingOrder(), await pendingOrder()];
    const ev = (type: string, obj: Record<string, unknown> & { id: string }) => h.standIn.event(type, obj);
    const events: { id: string }[] = [];
    const happen = async (e: { id: string }) => {
      events.push(e);
      await deliver([e]);
    };
    await happen(ev('checkout.session.completed', h.standIn.completeSession(paid!.sessionId).session));
    await happen(ev('checkout.session.completed', h.standIn.completeSession(asyncPaid!.sessionId, { async: true }).session));
    h.standIn.settleAsync(asyncPaid!.sessionId, 'succeeded');
    await happen(ev('checkout.session.async_payment_succeeded', h.standIn.sessions.get(asyncPaid!.sessionId)!));
    h.standIn.expireSession(abandoned!.sessionId);
    await happen(ev('checkout.session.expired', h.standIn.sessions.get(abandoned!.sessionId)!));
    await happen(ev('checkout.session.completed', h.standIn.completeSession(refunded!.sessionId).session));
    await happen(ev('charge.refunded', h.standIn.refundFromDashboard(h.standIn.chargeOf(refunded!.sessionId).id)));
    await deliver(events);
    return [paid!, asyncPaid!, abandoned!, refunded!];
  }

  const send = async (events: { id: string }[]) => {
    for (const e of events) expect((await h.deliver(e)).statusCode).toBe(200);
  };

  it('matches', async () => {
    // Reference: each event delivered once, right when it happens.
    const ordered = await play(async (events) => {
      if (events.length === 1) await send(events);
    });
    // Replay: Stripe's state is final before anything arrives; every event 3×, shuffled.
    const replayed = await play(async (events) => {
      if (events.length === 1) return;
      const copies = [...events, ...events, ...events];
      for (let i = copies.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [copies[i], copies[j]] = [copies[j]!, copies[i]!];
      }
      await send(copies);
    });
    const a = await Promise.all(ordered.map((o) => orderSnapshot(h.deps, o)));
    const b = await Promise.all(replayed.map((o) => orderSnapshot(h.deps, o)));
    expect(b).toEqual(a);
    expect(a.map((s) => s.status)).toEqual(['paid', 'paid', 'cancelled', 'cancelled']);
    expect(a[0]).toMatchObject({ payment: 'confirmed', tickets: ['valid', 'valid'], messages: ['order.paid'], available: 8 });
    expect(a[2]).toMatchObject({ payment: 'cancelled', tickets: [], messages: [], available: 10 });
    expect(a[3]).toMatchObject({ payment: 'refunded', tickets: ['void', 'void'], messages: ['order.paid', 'order.refunded'], available: 10 });
  });
});
