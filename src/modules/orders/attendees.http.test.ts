import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import { testApp } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { renderTicketsEmail } from '../../testing/notifications.ts';
import { ticketsOfOrder } from '../tickets/index.ts';
import { getOrderForMessage } from './index.ts';
import { placeOrder } from './service.ts';

/* Attendee names: given per ticket at checkout, shown in messages, corrected by the customer until sales end. */

let database: TestDatabase;
let world: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  database = await createTestDatabase();
  world = await testApp(database.db, { config: { limits: { ...testConfig().limits, orderReadsPerMinute: 12 } } });
});
afterAll(async () => {
  await world?.app.close();
  await database?.drop();
});

let seq = 0;
const post = (path: string, input: unknown, ip = `198.51.100.${++seq}`) =>
  world.app.inject({ method: 'POST', url: `/trpc/${path}`, remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(input) });

async function buy(attendees?: { name: string }[]) {
  const { eventId, ticketTypeIds } = await createTestEvent(database.db, world.deps.clock(), { ticketTypes: [{ priceCents: 0 }] });
  const placed = await placeOrder(world.deps, { eventId, customer: { name: 'Buyer Person', email: 'buyer@example.com' }, lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 3, attendees }] });
  return { ...placed, eventId, ticketTypeId: ticketTypeIds[0]! };
}

describe('attendee names at checkout', () => {
  it('each ticket carries its holder (missing ones the buyer); the email shows them', async () => {
    const order = await buy([{ name: 'Ada Lovelace' }, { name: 'Grace Hopper' }]);
    expect((await ticketsOfOrder(database.db, order.orderId)).map((t) => t.attendeeName).sort()).toEqual(['Ada Lovelace', 'Buyer Person', 'Grace Hopper']);
    const email = await renderTicketsEmail((await getOrderForMessage(world.deps, order.orderId))!, 'paid');
    expect(email.text).toContain('— Grace Hopper');
  });

  it('refuses more names than tickets and names that look like links', async () => {
    const { eventId, ticketTypeId } = await buy();
    const base = { eventId, customer: { name: 'Buyer', email: 'b@example.com' } };
    const tooMany = await post('orders.create', { ...base, lines: [{ ticketTypeId, quantity: 1, attendees: [{ name: 'A' }, { name: 'B' }] }] });
    expect(tooMany.json()).toMatchObject({ error: { data: { code: 'BAD_REQUEST', fieldErrors: { 'lines.0.attendees': ['More names than tickets'] } } } });
    const link = await post('orders.create', { ...base, lines: [{ ticketTypeId, quantity: 1, attendees: [{ name: 'win at evil.com' }] }] });
    expect(link.json()).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
  });
});

describe('orders.renameHolder (customer, token-carrying)', () => {
  it('renames a holder by POST until sales end; never by GET; limited per address', async () => {
    const order = await buy();
    const [ticket] = await ticketsOfOrder(database.db, order.orderId);
    const input = { orderId: order.orderId, token: order.token, ticketId: ticket!.id, name: 'Katherine Johnson' };

    const byGet = await world.app.inject({ url: `/trpc/orders.renameHolder?input=${encodeURIComponent(JSON.stringify(input))}`, remoteAddress: '198.51.100.200' });
    expect(byGet.statusCode).toBe(405);
    expect((await post('orders.renameHolder', { ...input, token: 'x'.repeat(43) })).json()).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
    expect((await post('orders.renameHolder', input)).json()).toMatchObject({ result: { data: { ticketId: ticket!.id, name: 'Katherine Johnson' } } });
    expect((await ticketsOfOrder(database.db, order.orderId))[0]!.attendeeName).toBe('Katherine Johnson');

    // Sales end at the event's start (the fixture's: a week on).
    world.deps.clock.advance(8 * 24 * 3600_000);
    expect((await post('orders.renameHolder', { ...input, name: 'Too Late' })).json()).toMatchObject({ error: { data: { code: 'PRECONDITION_FAILED' } } });
    world.deps.clock.advance(-8 * 24 * 3600_000);

    const ip = '198.51.100.250';
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await post('orders.renameHolder', { ...input, name: `Name ${i}` }, ip)).statusCode);
    expect(codes).toEqual([200, 200, 429]);
  });
});
