import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { createTestEvent } from '../testing/fixtures.ts';
import { injectTrpc } from '../testing/http.ts';

/* Health probes, and what a client sees when the server itself fails: a 500 without internals. */

let database: TestDatabase;
let built: Awaited<ReturnType<typeof testApp>>;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 2 });
  built = await testApp(database.db);
});
afterAll(async () => {
  await built?.app.close();
  await database?.drop();
});

const get = (url: string) => built.app.inject({ method: 'GET', url });

describe('while the database answers', () => {
  it('/healthz and /readyz are 200', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, database: 'ok' });
  });

  it('sends security headers and no referrer', async () => {
    const res = await get('/healthz');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('sends HSTS (a year, subdomains, no preload) when PUBLIC_URL is https, and not on plain http', async () => {
    expect((await get('/healthz')).headers['strict-transport-security']).toBeUndefined();
    const https = await testApp(database.db, { config: { publicUrl: 'https://tickets.example.org' } });
    try {
      for (const url of ['/healthz', '/trpc/catalog.listEvents']) {
        const res = await https.app.inject({ method: 'GET', url });
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      }
    } finally {
      await https.app.close();
    }
  });

  it('an unknown procedure is a 404, not a 500', async () => {
    const res = await injectTrpc(built.app, 'query', 'orders.deleteEverything', {});
    expect(res.status).toBe(404);
  });

  it('a body over the limit is a 413', async () => {
    const res = await injectTrpc(built.app, 'mutation', 'orders.create', undefined, { rawBody: JSON.stringify({ pad: 'x'.repeat(300_000) }) });
    expect(res.status).toBe(413);
  });
});

describe('when the database is gone', () => {
  let eventId: string;
  let ticketTypeId: string;
  beforeAll(async () => {
    const created = await createTestEvent(database.db, built.deps.clock());
    eventId = created.eventId;
    ticketTypeId = created.ticketTypeIds[0]!;
    await database.close();
  });

  it('/readyz is 503 and /healthz still 200', async () => {
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ok: false, database: 'unreachable' });
    expect((await get('/healthz')).statusCode).toBe(200);
  });

  it.each([
    ['query', 'catalog.listEvents', undefined],
    ['mutation', 'orders.create', () => ({ eventId, customer: { name: 'A', email: 'a@example.com' }, lines: [{ ticketTypeId, quantity: 1 }] })],
  ] as const)('%s %s fails with a 500 that shows no internals', async (kind, procedure, input) => {
    const res = await injectTrpc(built.app, kind, procedure, input?.());
    expect(res.status).toBe(500);
    expect(res.body!.error!.message).toBe('Internal server error');
    expect(res.body!.error!.data).toEqual({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: procedure });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/pool|select|insert|postgres|stack|\.ts|node_modules|\bat\b/i);
  });
});
