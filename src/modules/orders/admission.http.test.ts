import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig, testConfig, type Config, type LimitsConfig } from '../../config.ts';
import { testDeps } from '../../testing/app.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { injectTrpc } from '../../testing/http.ts';
import { buildApp } from '../../server/app.ts';
import { createProviders, testPaymentsAllowed } from '../payments/index.ts';

// Who may place an order: hold caps, free-order allowances, SMS countries, names without links, and no
// TEST payments in production. Each case is what an attacker tried from outside (issue 10).

const suite = useTestDatabase();
const apps: FastifyInstance[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

async function appWith(limits: Partial<LimitsConfig> = {}, overrides: { payments?: ReturnType<typeof createProviders>; config?: Partial<Config> } = {}) {
  const deps = testDeps(suite.database.db, { payments: overrides.payments, config: { limits: { ...testConfig().limits, ...limits }, ...overrides.config } });
  const app = await buildApp({ deps });
  apps.push(app);
  return { app, deps };
}

let seq = 0;
const address = () => `198.51.100.${++seq}`;
type Customer = { name: string; email: string; phone?: string };
const buyer = (n: number): Customer => ({ name: `Buyer ${n}`, email: `buyer${n}@example.com` });

/** orders.create by POST from `ip`, as the storefront sends it. */
async function order(app: FastifyInstance, ip: string, input: { eventId: string; ticketTypeId: string; quantity: number; customer: Customer }) {
  const res = await app.inject({
    method: 'POST',
    url: '/trpc/orders.create',
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ eventId: input.eventId, customer: input.customer, lines: [{ ticketTypeId: input.ticketTypeId, quantity: input.quantity }] }),
  });
  const body = res.json() as { result?: { data: { orderId: string; token: string } }; error?: { message: string; data: { appCode?: string; fieldErrors?: Record<string, string[]> } } };
  return { status: res.statusCode, ...body };
}

describe('holds: one client cannot keep an event sold out with unpaid orders', () => {
  it('caps the tickets one email holds at once, also when its orders race', async () => {
    const { app, deps } = await appWith({ heldTicketsPerEmail: 20 });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 1000 }] });
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () => order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 5, customer: buyer(1) })),
    );
    expect(attempts.filter((a) => a.status === 200)).toHaveLength(4);
    const refused = attempts.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(6);
    for (const r of refused) expect(r).toMatchObject({ status: 429, error: { data: { appCode: 'HOLD_LIMIT' } } });
    // Paying one order frees its hold: the same email may order again.
    const paid = attempts.find((a) => a.status === 200)!.result!.data;
    expect((await injectTrpc(app, 'mutation', 'orders.testPayment', { ...paid, action: 'pay' })).status).toBe(200);
    expect((await order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 5, customer: buyer(1) })).status).toBe(200);
  });

  it('caps the tickets held from one address, whatever the emails; other addresses still buy', async () => {
    const { app, deps } = await appWith({ heldTicketsPerAddress: 12 });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 1000 }] });
    const ip = address();
    const statuses = [];
    for (const n of [2, 3, 4]) statuses.push((await order(app, ip, { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 5, customer: buyer(n) })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 5, customer: buyer(5) })).status).toBe(200);
  });

  it("refuses more tickets in one order than the event allows (10 unless the organizer says otherwise)", async () => {
    const { app, deps } = await appWith();
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { maxTicketsPerOrder: 10 });
    const tooMany = await order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 11, customer: buyer(6) });
    expect(tooMany).toMatchObject({ status: 400, error: { data: { fieldErrors: { lines: ['At most 10 tickets per order for this event'] } } } });
    expect((await order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 10, customer: buyer(6) })).status).toBe(200);
  });
});

describe('free orders send messages to whatever contact was typed', () => {
  it('are limited per recipient (email and phone) and per address', async () => {
    const { app, deps } = await appWith({ freeOrdersPerRecipientPerHour: 2, freeOrdersPerIpPerHour: 4 });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { smsCountries: ['DE'] });
    const free = (ip: string, customer: Customer) => order(app, ip, { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 1, customer });
    const victim = { name: 'Victim', email: 'victim@example.com' };
    expect([(await free(address(), victim)).status, (await free(address(), victim)).status]).toEqual([200, 200]);
    const third = await free(address(), victim);
    expect(third).toMatchObject({ status: 429, error: { message: expect.stringMatching(/^Tickets were sent to this contact several times/) } });
    // The same phone under other emails is the same recipient.
    const phone = '+49 30 901820';
    expect((await free(address(), { ...buyer(7), phone })).status).toBe(200);
    expect((await free(address(), { ...buyer(8), phone })).status).toBe(200);
    expect((await free(address(), { ...buyer(9), phone })).status).toBe(429);
    // One address, many recipients: stopped at the address's allowance.
    const ip = address();
    const statuses = [];
    for (const n of [10, 11, 12, 13, 14]) statuses.push((await free(ip, buyer(n))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('send SMS only to the countries the organizer enabled', async () => {
    const { app, deps } = await appWith();
    const de = await createTestEvent(deps.db, deps.clock(), { smsCountries: ['DE'] });
    const none = await createTestEvent(deps.db, deps.clock());
    const withPhone = (e: typeof de, phone: string) => order(app, address(), { eventId: e.eventId, ticketTypeId: e.ticketTypeIds[0]!, quantity: 1, customer: { ...buyer(20), phone } });
    expect((await withPhone(de, '+49 30 901820')).status).toBe(200);
    expect(await withPhone(de, '+44 20 7946 0958')).toMatchObject({
      status: 400,
      error: { data: { fieldErrors: { 'customer.phone': [expect.stringContaining('only to numbers from DE')] } } },
    });
    expect(await withPhone(none, '+49 30 901820')).toMatchObject({
      status: 400,
      error: { data: { fieldErrors: { 'customer.phone': ['This event does not send tickets by SMS; leave the phone number empty'] } } },
    });
  });

  it('cannot carry a link in the greeting', async () => {
    const { app, deps } = await appWith();
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock());
    const named = (name: string) => order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 1, customer: { name, email: 'named@example.com' } });
    for (const name of ['Claim your prize at evil.example', 'https://x.io/a', 'see www.phish', 'Ana bit.ly/abc', 'Preis: gewinn.de']) {
      expect(await named(name), name).toMatchObject({ status: 400, error: { data: { fieldErrors: { 'customer.name': ['A name cannot contain a web address'] } } } });
    }
    for (const name of ["Anne-Marie O'Neil", 'J. R. R. Tolkien', 'Zoë 山田', 'Dr. Ruth']) expect((await named(name)).status, name).toBe(200);
  });
});

describe('the TEST payment provider', () => {
  it('is off under NODE_ENV=production unless ALLOW_TEST_PAYMENTS=true, and then every page is told', () => {
    expect(testPaymentsAllowed(loadConfig({ NODE_ENV: 'production' }))).toBe(false);
    expect(testPaymentsAllowed(loadConfig({ NODE_ENV: 'production', ALLOW_TEST_PAYMENTS: 'true' }))).toBe(true);
    expect(testPaymentsAllowed(loadConfig({ NODE_ENV: 'development' }))).toBe(true);
  });

  it('without it, priced orders are refused before anything is held and an older test order cannot be paid', async () => {
    const before = await appWith();
    const { eventId, ticketTypeIds } = await createTestEvent(before.deps.db, before.deps.clock(), { ticketTypes: [{ priceCents: 1000, capacity: 5 }, { priceCents: 0 }] });
    const older = await order(before.app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 1, customer: buyer(30) });
    expect((await injectTrpc(before.app, 'query', 'health.site')).body!.result!.data).toEqual({ testPayments: true });

    const { app } = await appWith({}, { payments: createProviders([], { allowTest: false }) });
    expect((await injectTrpc(app, 'query', 'health.site')).body!.result!.data).toEqual({ testPayments: false });
    const priced = await order(app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 4, customer: buyer(31) });
    expect(priced).toMatchObject({ status: 503, error: { data: { appCode: 'PAYMENT_UNAVAILABLE' } } });
    const pay = await injectTrpc(app, 'mutation', 'orders.testPayment', { ...older.result!.data, action: 'pay' });
    expect(pay).toMatchObject({ status: 403, body: { error: { data: { appCode: 'FORBIDDEN' } } } });
    // Free tickets still work, and nothing was held by the refused order: 4 of 5 seats are still there.
    expect((await order(app, address(), { eventId, ticketTypeId: ticketTypeIds[1]!, quantity: 1, customer: buyer(32) })).status).toBe(200);
    expect((await order(before.app, address(), { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 4, customer: buyer(33) })).status).toBe(200);
  });
});
