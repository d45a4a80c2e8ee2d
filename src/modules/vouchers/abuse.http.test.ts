import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../config.ts';
import { testDeps } from '../../testing/app.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { injectTrpc } from '../../testing/http.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { buildApp } from '../../server/app.ts';
import { createVouchers } from './service.ts';

// Voucher codes cannot be found by trying: every code looked up costs a point of the caller's address.

const suite = useTestDatabase();
let app: FastifyInstance;
afterAll(() => app?.close());

describe('voucher checks per address', () => {
  it('5 codes a minute, then RATE_LIMITED even for a good code; the event page without a code stays open', async () => {
    const deps = testDeps(suite.database.db, { config: { limits: { ...testConfig().limits, voucherChecksPerMinute: 5 } } });
    app = await buildApp({ deps });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 1000 }] });
    await createVouchers(deps.db, { eventId, codes: ['REAL-CODE'], discount: { percent: 10 }, maxUses: 100 }, deps.clock());

    const tries = [];
    for (let i = 0; i < 4; i++) tries.push(await injectTrpc(app, 'query', 'catalog.getEvent', { eventId, voucher: `GUESS${i}AAAA` }));
    expect(tries.map((t) => t.body?.error?.data.appCode)).toEqual(Array(4).fill('VOUCHER_INVALID'));
    // The same message for any wrong code: nothing to learn about which codes exist.
    expect(new Set(tries.map((t) => t.body?.error?.message)).size).toBe(1);
    // Orders naming a code count too.
    const order = await injectTrpc(app, 'mutation', 'orders.create', {
      eventId,
      customer: customer(1),
      lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }],
      voucher: 'GUESS5AAAA',
    });
    expect(order.body?.error?.data.appCode).toBe('VOUCHER_INVALID');
    const refused = await injectTrpc(app, 'query', 'catalog.getEvent', { eventId, voucher: 'REAL-CODE' });
    expect(refused.status).toBe(429);
    expect(refused.body?.error?.data.appCode).toBe('RATE_LIMITED');
    expect((await injectTrpc(app, 'query', 'catalog.getEvent', { eventId })).status).toBe(200);
  });
});
