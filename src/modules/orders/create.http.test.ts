import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import * as catalog from '../catalog/index.ts';
import { testApp } from '../../testing/app.ts';
import { createTestDatabase, tableCounts, type TestDatabase } from '../../testing/db.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { injectTrpc } from '../../testing/http.ts';

/*
 * orders.create over HTTP with everything a browser or a script could send: each refusal is a 4xx
 * with a clear message and the right appCode / field, never a 5xx, and changes no row anywhere.
 */

let database: TestDatabase;
let app: FastifyInstance;
let ids: { event: string; type: string; soldOut: string; addOn: string; foreignAddOn: string; notOnSale: string; notOnSaleType: string };

beforeAll(async () => {
  database = await createTestDatabase();
  const built = await testApp(database.db);
  app = built.app;
  const now = built.deps.clock();
  const main = await createTestEvent(database.db, now, {
    ticketTypes: [{ capacity: 5 }, { capacity: 0 }],
    addOns: [{ capacity: 10, maxPerTicket: 2 }],
    smsCountries: ['GB'],
  });
  const other = await createTestEvent(database.db, now, { addOns: [{}] });
  const { eventId: notOnSale } = await catalog.createEvent(database.db, {
    name: 'Later',
    startsAt: new Date(now.getTime() + 30 * 86400_000).toISOString(),
    salesStartAt: new Date(now.getTime() + 86400_000).toISOString(),
    currency: 'EUR',
  });
  const { ticketTypeId: notOnSaleType } = await catalog.createTicketType(database.db, {
    eventId: notOnSale,
    name: 'Early',
    priceCents: 0,
    capacity: 10,
  });
  ids = {
    event: main.eventId,
    type: main.ticketTypeIds[0]!,
    soldOut: main.ticketTypeIds[1]!,
    addOn: main.addOnIds[0]!,
    foreignAddOn: other.addOnIds[0]!,
    notOnSale,
    notOnSaleType,
  };
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

type Input = { eventId?: unknown; customer?: unknown; lines?: unknown };
const valid = (patch: Input = {}): Input => ({
  eventId: ids.event,
  customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  lines: [{ ticketTypeId: ids.type, quantity: 1 }],
  ...patch,
});
const withLine = (line: Record<string, unknown>) => valid({ lines: [{ ticketTypeId: ids.type, quantity: 1, ...line }] });
const withCustomer = (c: Record<string, unknown>) => valid({ customer: { name: 'Ada Lovelace', email: 'ada@example.com', ...c } });

type Case = {
  name: string;
  input?: () => Input;
  raw?: string;
  status: number;
  appCode?: string;
  field?: string;
};

const cases: Case[] = [
  { name: 'malformed JSON', raw: '{"eventId": ', status: 400 },
  { name: 'an empty body', raw: '', status: 400 },
  { name: 'a JSON string instead of an object', raw: '"order please"', status: 400, appCode: 'VALIDATION' },
  { name: 'null', raw: 'null', status: 400, appCode: 'VALIDATION' },
  { name: 'a non-uuid event id', input: () => valid({ eventId: '42' }), status: 400, appCode: 'VALIDATION', field: 'eventId' },
  { name: 'a missing customer', input: () => valid({ customer: undefined }), status: 400, appCode: 'VALIDATION', field: 'customer' },
  { name: 'no lines', input: () => valid({ lines: [] }), status: 400, appCode: 'VALIDATION', field: 'lines' },
  { name: 'lines not an array', input: () => valid({ lines: 'two tickets' }), status: 400, appCode: 'VALIDATION', field: 'lines' },
  { name: 'quantity as a string', input: () => withLine({ quantity: '1' }), status: 400, appCode: 'VALIDATION', field: 'lines.0.quantity' },
  { name: 'quantity zero', input: () => withLine({ quantity: 0 }), status: 400, appCode: 'VALIDATION', field: 'lines.0.quantity' },
  { name: 'a negative quantity', input: () => withLine({ quantity: -3 }), status: 400, appCode: 'VALIDATION', field: 'lines.0.quantity' },
  { name: 'a fractional quantity', input: () => withLine({ quantity: 1.5 }), status: 400, appCode: 'VALIDATION', field: 'lines.0.quantity' },
  { name: 'a huge quantity', input: () => withLine({ quantity: 2 ** 53 }), status: 400, appCode: 'VALIDATION', field: 'lines.0.quantity' },
  {
    name: 'a quantity beyond floating point',
    raw: `{"eventId":"${randomUUID()}","customer":{"name":"A","email":"a@example.com"},"lines":[{"ticketTypeId":"${randomUUID()}","quantity":1e400}]}`,
    status: 400,
    appCode: 'VALIDATION',
    field: 'lines.0.quantity',
  },
  { name: 'a non-uuid ticket type', input: () => withLine({ ticketTypeId: 'vip' }), status: 400, appCode: 'VALIDATION', field: 'lines.0.ticketTypeId' },
  { name: 'an unknown ticket type', input: () => withLine({ ticketTypeId: randomUUID() }), status: 400, appCode: 'VALIDATION', field: 'lines.0.ticketTypeId' },
  {
    name: 'an add-on of another event',
    input: () => withLine({ addOns: [{ addOnId: ids.foreignAddOn, quantity: 1 }] }),
    status: 400,
    appCode: 'VALIDATION',
    field: 'lines.0.addOns.0.addOnId',
  },
  {
    name: 'more of an add-on than maxPerTicket',
    input: () => withLine({ addOns: [{ addOnId: ids.addOn, quantity: 3 }] }),
    status: 400,
    appCode: 'VALIDATION',
    field: 'lines.0.addOns.0.quantity',
  },
  {
    name: 'the same add-on twice',
    input: () => withLine({ addOns: [{ addOnId: ids.addOn, quantity: 1 }, { addOnId: ids.addOn, quantity: 1 }] }),
    status: 400,
    appCode: 'VALIDATION',
    field: 'lines.0.addOns.1.addOnId',
  },
  {
    name: 'an add-on quantity of zero',
    input: () => withLine({ addOns: [{ addOnId: ids.addOn, quantity: 0 }] }),
    status: 400,
    appCode: 'VALIDATION',
    field: 'lines.0.addOns.0.quantity',
  },
  { name: 'an invalid email', input: () => withCustomer({ email: 'ada@' }), status: 400, appCode: 'VALIDATION', field: 'customer.email' },
  { name: 'a blank name', input: () => withCustomer({ name: '   ' }), status: 400, appCode: 'VALIDATION', field: 'customer.name' },
  { name: 'a 10 kB name', input: () => withCustomer({ name: 'x'.repeat(10_000) }), status: 400, appCode: 'VALIDATION', field: 'customer.name' },
  { name: 'a NUL character in the name', input: () => withCustomer({ name: 'Ada\u0000Lovelace' }), status: 400, appCode: 'VALIDATION', field: 'customer.name' },
  {
    name: 'JSON nested 100,000 deep',
    raw: `{"eventId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    status: 400,
    appCode: 'VALIDATION',
    field: 'eventId',
  },
  { name: 'an invalid phone', input: () => withCustomer({ phone: '12345' }), status: 400, appCode: 'VALIDATION', field: 'customer.phone' },
  { name: 'a phone made of words', input: () => withCustomer({ phone: 'call me maybe' }), status: 400, appCode: 'VALIDATION', field: 'customer.phone' },
  {
    name: 'more than 100 tickets over several lines',
    input: () => valid({ lines: [1, 2, 3].map(() => ({ ticketTypeId: ids.type, quantity: 40 })) }),
    status: 400,
    appCode: 'VALIDATION',
    field: 'lines',
  },
  { name: 'an event not on sale yet', input: () => valid({ eventId: ids.notOnSale, lines: [{ ticketTypeId: ids.notOnSaleType, quantity: 1 }] }), status: 412, appCode: 'NOT_ON_SALE' },
  { name: 'an unknown event', input: () => valid({ eventId: randomUUID() }), status: 404, appCode: 'NOT_FOUND' },
  { name: 'more than is left', input: () => withLine({ quantity: 6 }), status: 409, appCode: 'SOLD_OUT' },
  { name: 'a sold-out ticket type', input: () => withLine({ ticketTypeId: ids.soldOut }), status: 409, appCode: 'SOLD_OUT' },
  {
    name: 'a sold-out item after an available one',
    input: () => valid({ lines: [{ ticketTypeId: ids.type, quantity: 2 }, { ticketTypeId: ids.soldOut, quantity: 1 }] }),
    status: 409,
    appCode: 'SOLD_OUT',
  },
];

describe('orders.create refuses bad input with a clear 4xx and changes nothing', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await tableCounts(database.db);
  });

  it.each(cases)('$name → $status $appCode $field', async (c) => {
    const res = await injectTrpc(app, 'mutation', 'orders.create', c.input?.(), { rawBody: c.raw });
    expect(res.status).toBe(c.status);
    const error = res.body?.error;
    expect(error?.message).toEqual(expect.any(String));
    expect(error!.message.length).toBeGreaterThan(3);
    if (c.appCode) expect(error?.data.appCode).toBe(c.appCode);
    if (c.field) {
      expect(Object.keys(error?.data.fieldErrors ?? {})).toContain(c.field);
      expect(error!.data.fieldErrors![c.field]![0]).toEqual(expect.any(String));
    }
    expect(await tableCounts(database.db)).toEqual(before);
  });
});

describe('orders.create accepts good input', () => {
  it('normalizes a valid phone number to E.164', async () => {
    const res = await injectTrpc(app, 'mutation', 'orders.create', withCustomer({ phone: ' +44 20 7946 0958 ' }));
    expect(res.status).toBe(200);
    const { orderId, token } = res.body!.result!.data as { orderId: string; token: string };
    const order = await injectTrpc(app, 'mutation', 'orders.get', { orderId, token });
    expect(order.status).toBe(200);
    expect((order.body!.result!.data as { customer: { phone: string } }).customer.phone).toBe('+442079460958');
  });
});
