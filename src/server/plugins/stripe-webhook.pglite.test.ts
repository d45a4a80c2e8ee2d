import { expect, it } from 'vitest';
import { createPgliteTestDatabase } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { orderSnapshot } from '../../testing/order-snapshot.ts';
import { useStripeHarness } from '../../testing/stripe.ts';

// The embedded default (PGlite, one connection) runs the same webhook transactions.
const h = useStripeHarness(createPgliteTestDatabase);

it('PGlite: a Stripe payment confirmed by webhook, redelivered, then refunded from the dashboard', async () => {
  const { eventId, ticketTypeIds } = await createTestEvent(h.deps.db, h.deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 3 }] });
  const order = await h.place({ eventId, customer: customer(), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] });
  const paid = h.standIn.event('checkout.session.completed', h.standIn.completeSession(order.sessionId).session);
  for (let i = 0; i < 2; i++) expect((await h.deliver(paid)).statusCode).toBe(200);
  expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'paid', tickets: ['valid'], messages: ['order.paid'], available: 2 });
  h.deps.clock.advance(60_000);
  const refunded = h.standIn.event('charge.refunded', h.standIn.refundFromDashboard(h.standIn.chargeOf(order.sessionId).id));
  expect((await h.deliver(refunded)).statusCode).toBe(200);
  expect(await orderSnapshot(h.deps, order)).toMatchObject({ status: 'cancelled', payment: 'refunded', tickets: ['void'], available: 3 });
});
