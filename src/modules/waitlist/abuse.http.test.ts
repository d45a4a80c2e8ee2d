import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../config.ts';
import { testDeps } from '../../testing/app.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { injectTrpc } from '../../testing/http.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { buildApp } from '../../server/app.ts';
import { placeOrder } from '../orders/index.ts';

// Every sign-up sends email (and SMS) later: counted per address and per email, so the form can't spam.

const suite = useTestDatabase();
let app: FastifyInstance;
afterAll(() => app?.close());

describe('waiting-list sign-ups', () => {
  it('2 per email and 4 per address an hour; the offer page refuses a token in the URL', async () => {
    const limits = { ...testConfig().limits, waitlistJoinsPerIpPerHour: 4, waitlistJoinsPerEmailPerHour: 2 };
    const deps = testDeps(suite.database.db, { config: { limits } });
    app = await buildApp({ deps });
    const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ capacity: 1 }, { capacity: 1 }, { capacity: 1 }] });
    for (const ticketTypeId of ticketTypeIds) {
      await placeOrder(deps, { eventId, customer: { name: 'Early', email: 'early@example.com' }, lines: [{ ticketTypeId, quantity: 1 }] });
    }
    const join = (ticketTypeId: string, email: string) => injectTrpc(app, 'mutation', 'waitlist.join', { ticketTypeId, name: 'Someone', email, quantity: 1 });
    const [a, b, c] = ticketTypeIds as [string, string, string];

    const codes = async (calls: Promise<{ status: number; body: { error?: { data: { appCode?: string } } } | null }>[]) =>
      (await Promise.all(calls)).map((r) => (r.status === 200 ? 'OK' : r.body?.error?.data.appCode));
    // One email: two sign-ups, the third refused whatever the ticket type.
    expect(await codes([join(a, 'victim@example.com'), join(b, 'victim@example.com')])).toEqual(['OK', 'OK']);
    expect(await codes([join(c, 'Victim@example.com')])).toEqual(['RATE_LIMITED']);
    // One address: four calls in all (the refused one counted too), then nothing, whatever the email.
    expect(await codes([join(c, 'other@example.com')])).toEqual(['OK']);
    expect(await codes([join(c, 'third@example.com')])).toEqual(['RATE_LIMITED']);

    const inUrl = await injectTrpc(app, 'query', 'waitlist.getOffer', { entryId: a.replace(/./, 'a'), token: 'x'.repeat(43) });
    expect(inUrl.body?.error?.data.appCode).toBe('TOKEN_IN_URL');
  });
});
