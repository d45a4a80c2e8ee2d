import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { callerFor, userCaller } from '../../testing/app.ts';
import { createTestDatabase, queryRows } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { capacityBooks } from '../../testing/race.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { completeTestPayment, expireOverdueOrders, getOrder, placeOrder, refundOrder } from '../orders/index.ts';

/*
 * Vouchers against a real PostgreSQL: codes, discounts, the error a customer sees, uses counted exactly
 * once under races and given back by expiry and refunds, seats held back from the public.
 */

const suite = useTestDatabase(() => createTestDatabase({ poolSize: 12 }));

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `crash: ${String(e)}`),
  );

async function adminOf() {
  return (await userCaller(suite.deps, 'admin')).caller;
}

const usesOf = async (voucherId: string) =>
  (await queryRows<{ uses: number }>(suite.database.db, sql`select uses from vouchers where id = ${voucherId}`))[0]!.uses;

describe('creating vouchers', () => {
  it('500 random codes at once: distinct, long, exported as CSV', async () => {
    const admin = await adminOf();
    const { eventId } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 2000 }] });
    const { vouchers } = await admin.admin.createVouchers({ eventId, count: 500, discount: { percent: 20 }, maxUses: 1 });
    expect(vouchers).toHaveLength(500);
    expect(new Set(vouchers.map((v) => v.code)).size).toBe(500);
    expect(vouchers.every((v) => /^[A-HJKMNP-Z2-9]{16}$/.test(v.code))).toBe(true);
    const { csv } = await admin.admin.exportVouchers({ eventId });
    const rows = parse(csv, { columns: true }) as { code: string; discount: string; max_uses: string }[];
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.code))).toEqual(new Set(vouchers.map((v) => v.code)));
    expect(rows[0]).toMatchObject({ discount: '20%', max_uses: '1' });
  });

  it('refuses a code the event has, an amount the currency cannot charge, a reserve without one ticket type', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { currency: 'JPY', ticketTypes: [{}, {}] });
    await admin.admin.createVouchers({ eventId, codes: ['speaker-2026'], discount: { priceCents: 0 }, maxUses: 5 });
    await expect(admin.admin.createVouchers({ eventId, codes: ['SPEAKER-2026'], discount: { priceCents: 0 }, maxUses: 5 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(admin.admin.createVouchers({ eventId, count: 1, discount: { amountCents: 0.5 }, maxUses: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      admin.admin.createVouchers({ eventId, count: 1, discount: { percent: 10 }, maxUses: 1, ticketTypeIds, reservedQuantity: 2 }),
    ).rejects.toMatchObject({ cause: { details: { field: 'reservedQuantity' } } });
    await expect(
      admin.admin.createVouchers({ eventId, count: 1, discount: { percent: 10 }, maxUses: 1, ticketTypeIds: [ticketTypeIds[0]!], reservedQuantity: 101 }),
    ).rejects.toMatchObject({ cause: { code: 'SOLD_OUT' } });
  });
});

describe('customers', () => {
  it('the event page shows the discount, unlocks a hidden type, and names what is wrong with a code', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { currency: 'JPY', ticketTypes: [{ priceCents: 1999 }] });
    const { ticketTypeId: speakerId } = await admin.admin.createTicketType({ eventId, name: 'Speaker', priceCents: 5000, capacity: 20, hidden: true });
    const now = suite.deps.clock();
    await admin.admin.createVouchers({ eventId, codes: ['THIRD-OFF'], discount: { percent: 33 }, maxUses: 1 });
    await admin.admin.createVouchers({ eventId, codes: ['SPEAKER'], discount: { priceCents: 0 }, maxUses: 3, ticketTypeIds: [speakerId], unlocksHiddenTypes: true });
    await admin.admin.createVouchers({ eventId, codes: ['LATER'], discount: { percent: 10 }, maxUses: 1, validFrom: new Date(now.getTime() + 3600_000).toISOString() });
    const visitor = callerFor(suite.deps);

    const plain = await visitor.catalog.getEvent({ eventId });
    expect(plain.ticketTypes.map((t) => t.id)).toEqual([ticketTypeIds[0]]);
    const third = await visitor.catalog.getEvent({ eventId, voucher: ' third-off ' });
    // ¥1999 × 33 % = ¥659.67 → ¥660 off, in whole yen.
    expect(third.ticketTypes).toEqual([expect.objectContaining({ priceCents: 1999, voucherPriceCents: 1339 })]);
    expect(third.voucher).toEqual({ code: 'THIRD-OFF', discount: { percent: 33 }, ticketTypeIds: [] });
    const speaker = await visitor.catalog.getEvent({ eventId, voucher: 'SPEAKER' });
    expect(speaker.ticketTypes.map((t) => [t.name, t.voucherPriceCents])).toEqual([['Type 1', undefined], ['Speaker', 0]]);

    for (const [code, appCode] of [['NOPE-NOPE', 'VOUCHER_INVALID'], ['LATER', 'VOUCHER_EXPIRED'], ['x', 'VOUCHER_INVALID']] as const) {
      await expect(visitor.catalog.getEvent({ eventId, voucher: code })).rejects.toMatchObject({ cause: { code: appCode } });
    }
    // The hidden type is not for sale without the code; with it, free.
    const lines = [{ ticketTypeId: speakerId, quantity: 1 }];
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(1), lines }))).toBe('VALIDATION');
    const free = await placeOrder(suite.deps, { eventId, customer: customer(1), lines, voucher: 'speaker' });
    expect(free.status).toBe('paid');
    // A code for other tickets than those picked.
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(2), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }], voucher: 'SPEAKER' }))).toBe(
      'VOUCHER_INVALID',
    );
    const paid = await placeOrder(suite.deps, { eventId, customer: customer(3), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }], voucher: 'THIRD-OFF' });
    expect((await getOrder(suite.deps, paid)).totalCents).toBe(1339);
    await expect(visitor.catalog.getEvent({ eventId, voucher: 'THIRD-OFF' })).rejects.toMatchObject({ cause: { code: 'VOUCHER_USED_UP' } });
  });
});

describe('uses', () => {
  it('a voucher with one use left raced by 10 orders: one wins, nine VOUCHER_USED_UP', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000 }] });
    const { vouchers } = await admin.admin.createVouchers({ eventId, codes: ['ONCE'], discount: { amountCents: 500 }, maxUses: 1 });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => outcome(placeOrder(suite.deps, { eventId, customer: customer(i), lines, voucher: 'ONCE' }))));
    expect(results.sort()).toEqual(['VOUCHER_USED_UP', ...Array(8).fill('VOUCHER_USED_UP'), 'ok'].sort());
    expect(await usesOf(vouchers[0]!.id)).toBe(1);
  });

  it('an expired order gives its use back; its late payment then fails if the use was taken meanwhile', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000 }], holdMinutes: 15 });
    const { vouchers } = await admin.admin.createVouchers({ eventId, codes: ['EXPIRY'], discount: { percent: 50 }, maxUses: 1 });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }];
    const first = await placeOrder(suite.deps, { eventId, customer: customer(1), lines, voucher: 'EXPIRY' });
    suite.deps.clock.advance(16 * 60_000);
    await expireOverdueOrders(suite.deps.db, suite.deps.clock());
    expect(await usesOf(vouchers[0]!.id)).toBe(0);
    const second = await placeOrder(suite.deps, { eventId, customer: customer(2), lines, voucher: 'EXPIRY' });
    expect(await outcome(completeTestPayment(suite.deps, { ...first, action: 'pay' }))).toBe('ORDER_EXPIRED');
    expect(await outcome(completeTestPayment(suite.deps, { ...second, action: 'pay' }))).toBe('ok');
    expect(await usesOf(vouchers[0]!.id)).toBe(1);
    expect(await capacityBooks(suite.database.db, 'ticket_type', ticketTypeIds[0]!)).toMatchObject({ taken: 1, held: 0, sold: 1 });
  });

  it('a refund gives the use back', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000 }] });
    const { vouchers } = await admin.admin.createVouchers({ eventId, codes: ['REFUND'], discount: { percent: 10 }, maxUses: 2 });
    const lines = [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }];
    const order = await placeOrder(suite.deps, { eventId, customer: customer(1), lines, voucher: 'REFUND' });
    await completeTestPayment(suite.deps, { ...order, action: 'pay' });
    expect(await usesOf(vouchers[0]!.id)).toBe(2);
    await refundOrder(suite.deps, { orderId: order.orderId, actor: 'test' });
    expect(await usesOf(vouchers[0]!.id)).toBe(0);
  });
});

describe('reserved seats', () => {
  it('30 public buyers and 8 voucher holders race for 10 seats, 4 held back: the public gets at most 6, nothing oversold', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 10 }] });
    const typeId = ticketTypeIds[0]!;
    await admin.admin.createVouchers({ eventId, codes: ['PARTNER'], discount: { percent: 100 }, maxUses: 8, ticketTypeIds: [typeId], reservedQuantity: 4 });
    const visitor = callerFor(suite.deps);
    expect((await visitor.catalog.getEvent({ eventId })).ticketTypes[0]!.available).toBe(6);
    expect((await visitor.catalog.getEvent({ eventId, voucher: 'PARTNER' })).ticketTypes[0]!.available).toBe(10);

    const lines = [{ ticketTypeId: typeId, quantity: 1 }];
    const racers = [
      ...Array.from({ length: 30 }, (_, i) => ({ kind: 'public', run: () => placeOrder(suite.deps, { eventId, customer: customer(i), lines }) })),
      ...Array.from({ length: 8 }, (_, i) => ({ kind: 'voucher', run: () => placeOrder(suite.deps, { eventId, customer: customer(100 + i), lines, voucher: 'PARTNER' }) })),
    ].sort(() => Math.random() - 0.5);
    const results = await Promise.all(racers.map(async (r) => ({ kind: r.kind, result: await outcome(r.run()) })));
    expect(results.filter((r) => r.result.startsWith('crash'))).toEqual([]);
    const won = (kind: string) => results.filter((r) => r.kind === kind && r.result === 'ok').length;
    expect(won('public')).toBeLessThanOrEqual(6);
    expect(won('voucher')).toBeGreaterThanOrEqual(4);
    expect(won('public') + won('voucher')).toBe(10);
    expect(results.filter((r) => r.result !== 'ok').every((r) => r.result === 'SOLD_OUT')).toBe(true);
    const [row] = await queryRows<{ reserved: number }>(suite.database.db, sql`select reserved from ticket_types where id = ${typeId}`);
    expect(row!.reserved).toBe(0);
    // Public orders are priced (pending, holding); the 100 % voucher's are free (paid at once).
    expect(await capacityBooks(suite.database.db, 'ticket_type', typeId)).toEqual({
      taken: 10,
      capacity: 10,
      held: won('public'),
      sold: won('voucher'),
      issued: won('voucher'),
    });
  });

  it('an expired voucher order puts its seat back into the reserve, not on public sale; shrinking the reserve frees it', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 3 }] });
    const typeId = ticketTypeIds[0]!;
    const { vouchers } = await admin.admin.createVouchers({ eventId, codes: ['HELD'], discount: { percent: 10 }, maxUses: 5, ticketTypeIds: [typeId], reservedQuantity: 2 });
    const lines = (quantity: number) => [{ ticketTypeId: typeId, quantity }];
    await placeOrder(suite.deps, { eventId, customer: customer(1), lines: lines(2), voucher: 'HELD' });
    await placeOrder(suite.deps, { eventId, customer: customer(2), lines: lines(1) });
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(3), lines: lines(1) }))).toBe('SOLD_OUT');
    suite.deps.clock.advance(16 * 60_000);
    // The run-out holds free 3 seats, 2 of them back into the reserve: the public gets 1.
    expect((await callerFor(suite.deps).catalog.getEvent({ eventId })).ticketTypes[0]!.available).toBe(1);
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(4), lines: lines(2) }))).toBe('SOLD_OUT');
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(4), lines: lines(1) }))).toBe('ok');
    await admin.admin.updateVoucher({ voucherId: vouchers[0]!.id, reservedQuantity: 0 });
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(5), lines: lines(2) }))).toBe('ok');
    expect(await capacityBooks(suite.database.db, 'ticket_type', typeId)).toMatchObject({ taken: 3, held: 3 });
  });

  it('a ticket of a voucher holder refunded on its own goes back into the reserve; capacity never drops below what is held back', async () => {
    const admin = await adminOf();
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 4 }] });
    const typeId = ticketTypeIds[0]!;
    await admin.admin.createVouchers({ eventId, codes: ['CREW'], discount: { percent: 50 }, maxUses: 5, ticketTypeIds: [typeId], reservedQuantity: 2 });
    const lines = (quantity: number) => [{ ticketTypeId: typeId, quantity }];
    const crew = await placeOrder(suite.deps, { eventId, customer: customer(1), lines: lines(2), voucher: 'CREW' });
    await completeTestPayment(suite.deps, { ...crew, action: 'pay' });
    await placeOrder(suite.deps, { eventId, customer: customer(2), lines: lines(1) });
    // 2 sold from the reserve, 1 held by the public, 1 left.
    await expect(admin.admin.updateTicketType({ ticketTypeId: typeId, capacity: 2 })).rejects.toMatchObject({ cause: { details: { field: 'capacity' } } });

    const [ticket] = await queryRows<{ id: string }>(suite.database.db, sql`select id from tickets where order_id = ${crew.orderId} limit 1`);
    await admin.admin.refundOrder({ orderId: crew.orderId, ticketIds: [ticket!.id] });
    // The refunded seat is held back for the crew again: the public still gets only the one that was left.
    expect(await capacityBooks(suite.database.db, 'ticket_type', typeId)).toMatchObject({ taken: 2, held: 1, sold: 1 });
    expect((await callerFor(suite.deps).catalog.getEvent({ eventId })).ticketTypes[0]!.available).toBe(1);
    await expect(admin.admin.updateTicketType({ ticketTypeId: typeId, capacity: 2 })).rejects.toMatchObject({
      message: '2 are already sold or held and 1 held back for vouchers: the capacity cannot be lower',
    });
    await admin.admin.updateTicketType({ ticketTypeId: typeId, capacity: 3 });
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(3), lines: lines(1) }))).toBe('SOLD_OUT');
    expect(await outcome(placeOrder(suite.deps, { eventId, customer: customer(4), lines: lines(1), voucher: 'CREW' }))).toBe('ok');
  });
});
