import { describe, expect, it } from 'vitest';
import { callerFor, userCaller } from '../../testing/app.ts';
import { createPgliteTestDatabase } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { capacityBooks } from '../../testing/race.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { offerToken } from './offer-token.ts';
import { placeOrder, refundOrder } from '../orders/index.ts';

// The embedded default (PGlite, PostgreSQL 18 in WASM) runs the same vouchers and waiting lists.

const suite = useTestDatabase(createPgliteTestDatabase);

describe('vouchers and waiting lists on PGlite', () => {
  it('a voucher with a reserve, a sold-out type, a refund offered to the person waiting', async () => {
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 0, capacity: 2 }] });
    const typeId = ticketTypeIds[0]!;
    await admin.admin.createVouchers({ eventId, codes: ['CREW'], discount: { priceCents: 0 }, maxUses: 1, ticketTypeIds: [typeId], reservedQuantity: 1 });
    const lines = [{ ticketTypeId: typeId, quantity: 1 }];
    await placeOrder(suite.deps, { eventId, customer: customer(1), lines });
    await expect(placeOrder(suite.deps, { eventId, customer: customer(2), lines })).rejects.toMatchObject({ code: 'SOLD_OUT' });
    const crew = await placeOrder(suite.deps, { eventId, customer: customer(3), lines, voucher: 'crew' });
    await callerFor(suite.deps).waitlist.join({ ticketTypeId: typeId, name: 'Waiting', email: 'w@example.com', quantity: 1 });
    await refundOrder(suite.deps, { orderId: crew.orderId, actor: 'test' });
    const [entry] = await admin.admin.listWaitlist({ eventId });
    // The refunded seat went back into the voucher's reserve, not to the line.
    expect(entry!.status).toBe('waiting');
    // No longer held back: offered to the line at once.
    await admin.admin.updateVoucher({ voucherId: (await admin.admin.listVouchers({ eventId }))[0]!.id, reservedQuantity: 0 });
    expect((await admin.admin.listWaitlist({ eventId }))[0]!.status).toBe('offered');
    const bought = await placeOrder(suite.deps, {
      eventId,
      customer: customer(4),
      lines,
      waitlistOffer: { entryId: entry!.id, token: offerToken(suite.deps.config.appSecret!, entry!.id) },
    });
    expect(bought.status).toBe('paid');
    const books = await capacityBooks(suite.database.db, 'ticket_type', typeId);
    expect(books).toMatchObject({ taken: 2, held: 0, sold: 2 });
  });
});
