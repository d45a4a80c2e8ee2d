import { CSRF_HEADER } from '../../shared/csrf.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, testApp, userCaller } from '../../testing/app.ts';
import { createTestDatabase, tableCounts, type TestDatabase } from '../../testing/db.ts';
import { injectTrpc } from '../../testing/http.ts';

/* Organizer procedures over HTTP: who may call them, and every kind of bad input → 4xx, nothing changed. */

let database: TestDatabase;
let built: Awaited<ReturnType<typeof testApp>>;
let adminCookie: string;
let staffCookie: string;
let eventId: string;
let adminEmail: string;

beforeAll(async () => {
  database = await createTestDatabase();
  built = await testApp(database.db);
  const admin = await userCaller(built.deps, 'admin');
  const staff = await userCaller(built.deps, 'staff');
  adminEmail = admin.email;
  adminCookie = await loginCookie(built.app, admin.email, admin.password);
  staffCookie = await loginCookie(built.app, staff.email, staff.password);
  ({ eventId } = await admin.caller.admin.createEvent({ name: 'Gala', startsAt: '2030-06-01T19:00:00Z', currency: 'EUR' }));
});
afterAll(async () => {
  await built?.app.close();
  await database?.drop();
});

const call = (procedure: string, input: unknown, cookie = adminCookie) => injectTrpc(built.app, 'mutation', procedure, input, { cookie });
const event = (patch: Record<string, unknown> = {}) => ({ name: 'Concert', startsAt: '2030-05-01T20:00:00+02:00', currency: 'eur', ...patch });
const ticketType = (patch: Record<string, unknown> = {}) => ({ eventId, name: 'Standing', priceCents: 1000, capacity: 100, ...patch });
const addOn = (patch: Record<string, unknown> = {}) => ({ eventId, name: 'Parking', priceCents: 500, ...patch });
const user = (patch: Record<string, unknown> = {}) => ({ email: 'door@example.com', password: 'long enough password', role: 'staff', ...patch });

describe('admin procedures need an admin', () => {
  const procedures: [string, () => unknown][] = [
    ['admin.createEvent', () => event()],
    ['admin.createTicketType', () => ticketType()],
    ['admin.createAddOn', () => addOn()],
    ['admin.createUser', () => user()],
  ];
  it.each(procedures)('%s: 401 without a session, 403 for staff, nothing written', async (procedure, input) => {
    const before = await tableCounts(database.db);
    const anonymous = await call(procedure, input(), '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body!.error!.data.code).toBe('UNAUTHORIZED');
    const staff = await call(procedure, input(), staffCookie);
    expect(staff.status).toBe(403);
    expect(staff.body!.error!.data.code).toBe('FORBIDDEN');
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('a cross-site form cannot post as the admin: only JSON bodies reach procedures', async () => {
    const before = await tableCounts(database.db);
    const post = (headers: Record<string, string>) =>
      built.app.inject({
        method: 'POST',
        url: '/trpc/admin.createEvent',
        headers: { cookie: adminCookie, ...headers },
        payload: JSON.stringify(event()),
      });
    // What a cross-site HTML form can send: refused before any procedure runs — by the CSRF guard
    // (403) where Fastify parses the type (text/plain), by content type (415) where it does not.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      expect([403, 415]).toContain((await post({ 'content-type': type })).statusCode);
    }
    // JSON without our CSRF header (a script on another site or subdomain), or marked cross-site by the browser.
    expect((await post({ 'content-type': 'application/json' })).statusCode).toBe(403);
    const crossSite = { 'content-type': 'application/json', [CSRF_HEADER]: '1', 'sec-fetch-site': 'cross-site' };
    expect((await post(crossSite)).statusCode).toBe(403);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('admin queries too', async () => {
    expect((await injectTrpc(built.app, 'query', 'admin.listEvents')).status).toBe(401);
    expect((await injectTrpc(built.app, 'query', 'admin.getEvent', { eventId }, { cookie: staffCookie })).status).toBe(403);
  });
});

type Case = { name: string; procedure: string; input?: unknown; raw?: string; status: number; appCode?: string; field?: string };

const cases: Case[] = [
  { name: 'malformed JSON', procedure: 'admin.createEvent', raw: '{name:', status: 400 },
  { name: 'event without a name', procedure: 'admin.createEvent', input: event({ name: undefined }), status: 400, appCode: 'VALIDATION', field: 'name' },
  { name: 'event with a blank name', procedure: 'admin.createEvent', input: event({ name: '  ' }), status: 400, appCode: 'VALIDATION', field: 'name' },
  { name: 'event with a date in words', procedure: 'admin.createEvent', input: event({ startsAt: 'next friday' }), status: 400, appCode: 'VALIDATION', field: 'startsAt' },
  { name: 'event with a date as a number', procedure: 'admin.createEvent', input: event({ startsAt: 1900000000000 }), status: 400, appCode: 'VALIDATION', field: 'startsAt' },
  { name: 'event with a made-up currency', procedure: 'admin.createEvent', input: event({ currency: 'EURO' }), status: 400, appCode: 'VALIDATION', field: 'currency' },
  { name: 'event with a well-formed but non-existent currency', procedure: 'admin.createEvent', input: event({ currency: 'QQQ' }), status: 400, appCode: 'VALIDATION', field: 'currency' },
  { name: 'event on the 30th of February', procedure: 'admin.createEvent', input: event({ startsAt: '2030-02-30T20:00:00Z' }), status: 400, appCode: 'VALIDATION', field: 'startsAt' },
  { name: 'event in the year 0', procedure: 'admin.createEvent', input: event({ startsAt: '0000-01-01T00:00:00Z' }), status: 400, appCode: 'VALIDATION', field: 'startsAt' },
  { name: 'event with a NUL in its description', procedure: 'admin.createEvent', input: event({ description: 'a\u0000b' }), status: 400, appCode: 'VALIDATION', field: 'description' },
  { name: 'ticket type with a NUL in its name', procedure: 'admin.createTicketType', input: ticketType({ name: '\u0000' }), status: 400, appCode: 'VALIDATION', field: 'name' },
  { name: 'event with hold minutes 0', procedure: 'admin.createEvent', input: event({ holdMinutes: 0 }), status: 400, appCode: 'VALIDATION', field: 'holdMinutes' },
  {
    name: 'event whose sales end before they start',
    procedure: 'admin.createEvent',
    input: event({ salesStartAt: '2030-04-10T00:00:00Z', salesEndAt: '2030-04-01T00:00:00Z' }),
    status: 400,
    appCode: 'VALIDATION',
    field: 'salesEndAt',
  },
  { name: 'ticket type with a negative price', procedure: 'admin.createTicketType', input: ticketType({ priceCents: -1 }), status: 400, appCode: 'VALIDATION', field: 'priceCents' },
  { name: 'ticket type with a price in euros', procedure: 'admin.createTicketType', input: ticketType({ priceCents: 10.5 }), status: 400, appCode: 'VALIDATION', field: 'priceCents' },
  { name: 'ticket type with a huge price', procedure: 'admin.createTicketType', input: ticketType({ priceCents: 1e12 }), status: 400, appCode: 'VALIDATION', field: 'priceCents' },
  { name: 'ticket type with a negative capacity', procedure: 'admin.createTicketType', input: ticketType({ capacity: -5 }), status: 400, appCode: 'VALIDATION', field: 'capacity' },
  { name: 'ticket type without capacity', procedure: 'admin.createTicketType', input: ticketType({ capacity: undefined }), status: 400, appCode: 'VALIDATION', field: 'capacity' },
  { name: 'ticket type with a non-uuid event', procedure: 'admin.createTicketType', input: ticketType({ eventId: '1' }), status: 400, appCode: 'VALIDATION', field: 'eventId' },
  { name: 'ticket type for an unknown event', procedure: 'admin.createTicketType', input: ticketType({ eventId: randomUUID() }), status: 404, appCode: 'NOT_FOUND' },
  { name: 'add-on with maxPerTicket 0', procedure: 'admin.createAddOn', input: addOn({ maxPerTicket: 0 }), status: 400, appCode: 'VALIDATION', field: 'maxPerTicket' },
  { name: 'add-on with maxPerTicket 101', procedure: 'admin.createAddOn', input: addOn({ maxPerTicket: 101 }), status: 400, appCode: 'VALIDATION', field: 'maxPerTicket' },
  { name: 'add-on with capacity in words', procedure: 'admin.createAddOn', input: addOn({ capacity: 'ten' }), status: 400, appCode: 'VALIDATION', field: 'capacity' },
  { name: 'add-on for an unknown event', procedure: 'admin.createAddOn', input: addOn({ eventId: randomUUID() }), status: 404, appCode: 'NOT_FOUND' },
  { name: 'user with a short password', procedure: 'admin.createUser', input: user({ password: 'short' }), status: 400, appCode: 'VALIDATION', field: 'password' },
  { name: 'user with an unknown role', procedure: 'admin.createUser', input: user({ role: 'owner' }), status: 400, appCode: 'VALIDATION', field: 'role' },
  { name: 'user with an invalid email', procedure: 'admin.createUser', input: user({ email: 'door' }), status: 400, appCode: 'VALIDATION', field: 'email' },
  { name: 'user whose email is taken (any case)', procedure: 'admin.createUser', input: () => user({ email: adminEmail.toUpperCase() }), status: 409, appCode: 'EMAIL_TAKEN', field: 'email' },
];

describe('admin procedures refuse bad input with a clear 4xx and change nothing', () => {
  it.each(cases)('$name → $status $appCode $field', async (c) => {
    const before = await tableCounts(database.db);
    const input = typeof c.input === 'function' ? (c.input as () => unknown)() : c.input;
    const res = await injectTrpc(built.app, 'mutation', c.procedure, input, { cookie: adminCookie, rawBody: c.raw });
    expect(res.status).toBe(c.status);
    expect(res.body!.error!.message.length).toBeGreaterThan(3);
    if (c.appCode) expect(res.body!.error!.data.appCode).toBe(c.appCode);
    if (c.field) expect(Object.keys(res.body!.error!.data.fieldErrors ?? {})).toContain(c.field);
    expect(await tableCounts(database.db)).toEqual(before);
  });
});

describe('admin procedures with good input', () => {
  it('create an event, a ticket type, an add-on and a user', async () => {
    const created = await call('admin.createEvent', event({ venue: 'Hall', holdMinutes: 5 }));
    expect(created.status).toBe(200);
    const { eventId: id } = created.body!.result!.data as { eventId: string };
    expect((await call('admin.createTicketType', ticketType({ eventId: id, capacity: null }))).status).toBe(200);
    expect((await call('admin.createAddOn', addOn({ eventId: id, capacity: 3, maxPerTicket: 2 }))).status).toBe(200);
    expect((await call('admin.createUser', user())).body!.result!.data).toEqual({ userId: expect.any(String) });
    const view = await injectTrpc(built.app, 'query', 'admin.getEvent', { eventId: id }, { cookie: adminCookie });
    expect(view.body!.result!.data).toMatchObject({ currency: 'EUR', holdMinutes: 5, venue: 'Hall' });
  });
});
