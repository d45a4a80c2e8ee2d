import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testDeps } from '../testing/app.ts';
import { buildApp } from './app.ts';

/*
 * Requests refused before any procedure judges them — a body that is not JSON, a truncated batch, another
 * content type, a body over the size limit — answer in the error shape the client reads every 4xx by
 * (src/trpc/errors.ts): JSON, tRPC's envelope, an appCode. On both routes that serve procedures: the stock
 * tRPC plugin (orders.create) and checkin.scan's own route, single calls and batches.
 */
let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 2 });
  app = await buildApp({ deps: testDeps(database.db) });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const BODY_LIMIT = 256 * 1024;
const tooLarge = JSON.stringify({ eventId: 'x'.repeat(BODY_LIMIT) });

/** The procedures of each route, alone and as a batch (orders.create with another mutation, as a batch may hold). */
const targets = [
  { name: 'stock plugin', url: '/trpc/orders.create', paths: ['orders.create'] },
  { name: 'stock plugin, batch', url: '/trpc/orders.create,auth.logout?batch=1', paths: ['orders.create', 'auth.logout'] },
  { name: 'scan route', url: '/trpc/checkin.scan', paths: ['checkin.scan'] },
  { name: 'scan route, batch of one', url: '/trpc/checkin.scan?batch=1', paths: ['checkin.scan'] },
];

const bodies: { name: string; contentType?: string; payload: string; status: number; appCode: string; message: RegExp }[] = [
  { name: 'malformed JSON', contentType: 'application/json', payload: '{not json', status: 400, appCode: 'MALFORMED_REQUEST', message: /^The request body is not valid JSON$/ },
  { name: 'truncated JSON', contentType: 'application/json', payload: '{"0":{"eventId":"', status: 400, appCode: 'MALFORMED_REQUEST', message: /^The request body is not valid JSON$/ },
  { name: 'XML', contentType: 'application/xml', payload: '<order/>', status: 415, appCode: 'UNSUPPORTED_MEDIA_TYPE', message: /application\/json/ },
  { name: 'a form', contentType: 'application/x-www-form-urlencoded', payload: 'eventId=1', status: 415, appCode: 'UNSUPPORTED_MEDIA_TYPE', message: /application\/json/ },
  { name: 'plain text', contentType: 'text/plain', payload: '{}', status: 415, appCode: 'UNSUPPORTED_MEDIA_TYPE', message: /content-type/i },
  { name: 'no content type', payload: '', status: 415, appCode: 'UNSUPPORTED_MEDIA_TYPE', message: /content-type/i },
  { name: 'a body over the limit', contentType: 'application/json', payload: tooLarge, status: 413, appCode: 'PAYLOAD_TOO_LARGE', message: /too large/ },
];

type ErrorBody = { error: { message: string; code: number; data: { code: string; httpStatus: number; appCode?: string; path?: string } } };

describe('an unreadable request is refused in our error shape', () => {
  for (const target of targets) {
    for (const body of bodies) {
      it(`${target.name}: ${body.name} → ${body.status} ${body.appCode}`, async () => {
        const req: InjectOptions = {
          method: 'POST',
          url: target.url,
          headers: body.contentType ? { 'content-type': body.contentType } : {},
          payload: body.payload,
        };
        const res = await app.inject(req);
        expect(res.statusCode).toBe(body.status);
        expect(res.headers['content-type']).toBe('application/json');
        expect(res.headers['cache-control']).toBe('no-store');
        const json = res.json() as ErrorBody | ErrorBody[];
        // A batch is answered per call, or (tRPC refusing the whole request) with one error for all.
        const errors = Array.isArray(json) ? json : [json];
        if (Array.isArray(json)) expect(json).toHaveLength(target.paths.length);
        for (const [i, e] of errors.entries()) {
          expect(e.error.message).toMatch(body.message);
          expect(e.error.data).toMatchObject({ httpStatus: body.status, appCode: body.appCode });
          if (e.error.data.path !== undefined) expect(e.error.data.path).toBe(target.paths[i]);
        }
      });
    }
  }

  it('a batch whose body is not an object of inputs, unparsable query input, a mutation by GET, an unknown procedure: an appCode each', async () => {
    const notObject = await app.inject({ method: 'POST', url: '/trpc/orders.create?batch=1', headers: { 'content-type': 'application/json' }, payload: '[1]' });
    expect(notObject.statusCode).toBe(400);
    expect(JSON.stringify(notObject.json())).toContain('"appCode":"MALFORMED_REQUEST"');
    const byGet = await app.inject({ method: 'GET', url: '/trpc/orders.create?input=%7B%7D' });
    expect(byGet.statusCode).toBe(405);
    expect(byGet.json()).toMatchObject({ error: { data: { appCode: 'METHOD_NOT_SUPPORTED' } } });
    const badQuery = await app.inject({ method: 'GET', url: '/trpc/health.ping?input=%7Bnot-json' });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json()).toMatchObject({ error: { data: { appCode: 'MALFORMED_REQUEST' } } });
    const unknown = await app.inject({ method: 'GET', url: '/trpc/no.such.procedure' });
    expect(unknown.json()).toMatchObject({ error: { data: { httpStatus: 404, appCode: 'NOT_FOUND' } } });
  });

  it('a body just under the limit is read (and judged by the procedure: VALIDATION with field errors)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/trpc/orders.create',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ eventId: 'x'.repeat(BODY_LIMIT - 100) }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { message: 'Invalid input', data: { appCode: 'VALIDATION', fieldErrors: expect.any(Object) } } });
  });
});
