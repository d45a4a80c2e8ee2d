import { describe, expect, it } from 'vitest';
import { userCaller } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { orderSnapshot } from '../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../testing/stripe.ts';
import { getOrder } from '../orders/index.ts';

// A discounted order through Stripe's SDK and stand-in: Stripe is asked for exactly the order's total.

const h = useStripeHarness();

describe('a voucher order paid through Stripe', () => {
  it('TWD, 3 % off NT$350 (charged in whole dollars): NT$339 a ticket, the session total is the order total', async () => {
    const { caller: admin } = await userCaller(h.deps, 'admin');
    const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { currency: 'TWD', ticketTypes: [{ priceCents: 35000 }] });
    await admin.admin.createVouchers({ eventId, codes: ['THREE'], discount: { percent: 3 }, maxUses: 10 });
    const placed = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }], voucher: 'three' });
    const create = h.standIn.requestsTo('POST', '/v1/checkout/sessions').at(-1)!;
    expect(create.body.line_items[0].price_data).toMatchObject({ currency: 'twd', unit_amount: '33900' });
    expect(h.standIn.sessions.get(placed.sessionId)!.amount_total).toBe(67800);
    expect((await getOrder(h.deps, placed)).totalCents).toBe(67800);
    const { session } = h.standIn.completeSession(placed.sessionId);
    expect((await h.deliver(h.standIn.event('checkout.session.completed', session))).statusCode).toBe(200);
    expect(await orderSnapshot(h.deps, placed)).toMatchObject({ status: 'paid', payment: 'confirmed' });
  });
});
