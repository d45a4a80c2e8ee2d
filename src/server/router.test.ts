import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerFor, userCaller } from '../testing/app.ts';
import { queryRows } from '../testing/db.ts';
import { customer } from '../testing/fixtures.ts';
import { useTestDatabase } from '../testing/suite.ts';

/* The procedures as a client sees them (createCaller): who may call what, and what the outputs show. */

const suite = useTestDatabase();
let admin: Awaited<ReturnType<typeof userCaller>>;
let staff: Awaited<ReturnType<typeof userCaller>>;
const anonymous = () => callerFor(suite.deps);

beforeAll(async () => {
  admin = await userCaller(suite.deps, 'admin');
  staff = await userCaller(suite.deps, 'staff');
});

const trpcCode = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCError ? e.code : `not a TRPCError: ${String(e)}`),
  );

/** An event built through the admin procedures: one free and one priced ticket type, one add-on. */
async function adminBuiltEvent() {
  const startsAt = new Date(suite.deps.clock().getTime() + 7 * 86400_000).toISOString();
  const { eventId } = await admin.caller.admin.createEvent({ name: 'Router gala', startsAt, currency: 'EUR', venue: 'Hall 1' });
  const { ticketTypeId: free } = await admin.caller.admin.createTicketType({ eventId, name: 'Free', priceCents: 0, capacity: 10 });
  const { ticketTypeId: paid } = await admin.caller.admin.createTicketType({ eventId, name: 'Paid', priceCents: 1500, capacity: 5 });
  const { addOnId } = await admin.caller.admin.createAddOn({ eventId, name: 'Scarf', priceCents: 0, capacity: 4, maxPerTicket: 2 });
  return { eventId, free, paid, addOnId };
}

describe('admin procedures', () => {
  const inputs = {
    createEvent: { name: 'X', startsAt: '2030-02-01T20:00:00Z', currency: 'EUR' },
    createTicketType: { eventId: randomUUID(), name: 'X', priceCents: 0, capacity: 1 },
    createAddOn: { eventId: randomUUID(), name: 'X', priceCents: 0 },
    createUser: { email: 'someone@example.com', password: 'long enough pw', role: 'staff' as const },
  };

  it.each(Object.keys(inputs) as (keyof typeof inputs)[])('%s rejects anonymous callers (UNAUTHORIZED) and staff (FORBIDDEN)', async (name) => {
    const call = (c: ReturnType<typeof anonymous>) => (c.admin[name] as (i: unknown) => Promise<unknown>)(inputs[name]);
    expect(await trpcCode(call(anonymous()))).toBe('UNAUTHORIZED');
    expect(await trpcCode(call(staff.caller))).toBe('FORBIDDEN');
  });

  it('admin queries reject staff too', async () => {
    expect(await trpcCode(staff.caller.admin.listEvents())).toBe('FORBIDDEN');
    expect(await trpcCode(anonymous().admin.getEvent({ eventId: randomUUID() }))).toBe('UNAUTHORIZED');
  });

  it('an admin creates an event with ticket types and add-ons that the storefront then shows with availability', async () => {
    const { eventId, free, paid, addOnId } = await adminBuiltEvent();
    const event = await anonymous().catalog.getEvent({ eventId });
    expect(event).toMatchObject({ name: 'Router gala', venue: 'Hall 1', currency: 'EUR', onSale: true });
    expect(event.ticketTypes).toEqual([
      { id: free, name: 'Free', priceCents: 0, currency: 'EUR', available: 10 },
      { id: paid, name: 'Paid', priceCents: 1500, currency: 'EUR', available: 5 },
    ]);
    expect(event.addOns).toEqual([{ id: addOnId, name: 'Scarf', priceCents: 0, available: 4, maxPerTicket: 2 }]);
    expect((await anonymous().catalog.listEvents()).map((e) => e.id)).toContain(eventId);

    await anonymous().orders.create({
      eventId,
      customer: customer(),
      lines: [{ ticketTypeId: free, quantity: 2, addOns: [{ addOnId, quantity: 2 }] }],
    });
    const after = await anonymous().catalog.getEvent({ eventId });
    expect(after.ticketTypes.map((t) => t.available)).toEqual([8, 5]);
    expect(after.addOns[0]!.available).toBe(0);
    const adminView = await admin.caller.admin.getEvent({ eventId });
    expect(adminView.ticketTypes.map((t) => [t.capacity, t.taken])).toEqual([
      [10, 2],
      [5, 0],
    ]);
  });

  it('catalog.getEvent of an unknown event is NOT_FOUND', async () => {
    expect(await trpcCode(anonymous().catalog.getEvent({ eventId: randomUUID() }))).toBe('NOT_FOUND');
  });
});

describe('orders.get', () => {
  it('is NOT_FOUND without the token, with a wrong token, and for an unknown id', async () => {
    const { eventId, free } = await adminBuiltEvent();
    const placed = await anonymous().orders.create({ eventId, customer: customer(), lines: [{ ticketTypeId: free, quantity: 1 }] });
    expect(placed.token.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
    expect(await trpcCode(anonymous().orders.get({ orderId: placed.orderId, token: 'x'.repeat(43) }))).toBe('NOT_FOUND');
    expect(await trpcCode(anonymous().orders.get({ orderId: placed.orderId, token: placed.token.slice(0, -1) + (placed.token.endsWith('A') ? 'B' : 'A') }))).toBe('NOT_FOUND');
    expect(await trpcCode(anonymous().orders.get({ orderId: randomUUID(), token: placed.token }))).toBe('NOT_FOUND');
    // A missing token is refused by the input schema before anything is looked up.
    expect(await trpcCode(anonymous().orders.get({ orderId: placed.orderId } as never))).toBe('BAD_REQUEST');
    expect((await anonymous().orders.get(placed)).id).toBe(placed.orderId);
  });

  it('shows tickets only once the order is paid, and leaks no secrets or hashes', async () => {
    const { eventId, paid } = await adminBuiltEvent();
    const placed = await anonymous().orders.create({ eventId, customer: customer(7), lines: [{ ticketTypeId: paid, quantity: 2 }] });
    expect(placed).toMatchObject({ status: 'pending', paymentUrl: expect.stringContaining(`/orders/${placed.orderId}/pay`) });
    const pending = await anonymous().orders.get(placed);
    expect(pending).toMatchObject({ status: 'pending', totalCents: 3000, currency: 'EUR', tickets: [] });

    await anonymous().orders.testPayment({ ...placed, action: 'pay' });
    const order = await anonymous().orders.get(placed);
    expect(order.status).toBe('paid');
    expect(order.tickets).toHaveLength(2);
    for (const t of order.tickets) {
      expect(t).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), ticketTypeName: 'Paid', status: 'valid', addOns: [] });
    }

    const { tickets: shown, ...orderWithoutTickets } = order;
    const text = JSON.stringify([
      placed,
      pending,
      orderWithoutTickets,
      shown.map(({ qrText: _qr, ...rest }) => rest),
      await anonymous().catalog.getEvent({ eventId }),
      await admin.caller.admin.getEvent({ eventId }),
    ]);
    const secrets = await queryRows<{ secret: string }>(suite.database.db, sql`select secret from tickets where order_id = ${placed.orderId}`);
    const [row] = await queryRows<{ token_hash: string }>(suite.database.db, sql`select token_hash from orders where id = ${placed.orderId}`);
    const [keys] = await queryRows<{ private_key: string }>(suite.database.db, sql`select private_key from ticket_series where event_id = ${eventId}`);
    expect(secrets).toHaveLength(2);
    // The secret travels only as its ticket's QR text, to the holder of the order token, never elsewhere.
    expect(shown.map((t) => t.qrText).sort()).toEqual(secrets.map((s) => s.secret).sort());
    for (const { secret } of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(row!.token_hash);
    expect(text).not.toContain(keys!.private_key.slice(20, 60));
    expect(text).not.toMatch(/tokenHash|token_hash|passwordHash|password_hash|privateKey|"secret"/);
  });

  it('auth outputs carry no password hash', async () => {
    const text = JSON.stringify([await admin.caller.auth.me(), await admin.caller.admin.createUser({ email: 'x@example.com', password: 'long enough pw', role: 'staff' })]);
    expect(text).not.toMatch(/scrypt|password/i);
    expect(await anonymous().auth.me()).toEqual({ user: null });
  });
});
