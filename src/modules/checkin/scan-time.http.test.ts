import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { queryRows } from '../../testing/db.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { buyTickets, enrolDevice, gateEvent } from '../../testing/gate.ts';

/*
 * A scanner's scannedAt over HTTP: absurd or far-off values are a 400 naming the field, never a 500 (a
 * year PostgreSQL cannot store used to fail the scan statement, unrecorded, with the QR secret in the
 * error log). Values a working device sends — now, or up to a week late from an offline queue — are kept.
 */

const suite = useTestDatabase();
let app: FastifyInstance;
let gate: { eventId: string; token: string; secrets: string[] };

beforeAll(async () => {
  app = await buildApp({ deps: suite.deps });
  const event = await gateEvent(suite.deps.db, suite.deps.clock());
  const { tickets } = await buyTickets(suite.deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 3 });
  const device = await enrolDevice(suite.deps, event.eventId);
  gate = { eventId: event.eventId, token: device.token, secrets: tickets.map((t) => t.secret) };
});
afterAll(() => app?.close());

const scan = (input: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: '/trpc/checkin.scan',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gate.token}` },
    payload: JSON.stringify({ eventId: gate.eventId, ...input }),
  });
const attempts = async () => (await queryRows<{ n: number }>(suite.deps.db, sql`select count(*)::int as n from checkins`))[0]!.n;
const hoursFromNow = (h: number) => new Date(suite.deps.clock().getTime() + h * 3600_000).toISOString();

describe('checkin.scan scannedAt', () => {
  it.each([
    ['year 0', '0000-01-01T00:00:00Z'],
    ['year 1 with an offset', '0001-01-01T00:00:00+14:00'],
    ['year 1999', '1999-12-31T23:59:59Z'],
    ['year 10000', '10000-01-01T00:00:00Z'],
    ['year 10000, expanded', '+010000-01-01T00:00:00Z'],
    ['year 9999 that is 10000 in UTC', '9999-12-31T23:59:59-14:00'],
    ['month 13, day 45', '2026-13-45'],
    ['month 13, day 45 with a time', '2026-13-45T00:00:00Z'],
    ['a day that does not exist', '2030-02-30T10:00:00Z'],
    ['a huge number', 1e21],
    ['a negative number', -8.64e15],
    ['an empty string', ''],
    ['eight days ago', 'eight days ago'],
  ])('%s is a 400 naming scannedAt, and no attempt is recorded', async (label, value) => {
    const input = { qr: gate.secrets[0], scannedAt: label === 'eight days ago' ? hoursFromNow(-8 * 24) : value };
    const before = await attempts();
    const res = await scan(input);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { data: { code: 'BAD_REQUEST', appCode: 'VALIDATION', fieldErrors: { scannedAt: [expect.any(String)] } } } });
    expect(await attempts()).toBe(before);
  });

  it('two days ahead of the server clock is refused with a message about the device clock', async () => {
    const res = await scan({ qr: gate.secrets[0], scannedAt: hoursFromNow(48) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.data.fieldErrors.scannedAt[0]).toMatch(/device's date and time/);
  });

  it('now, a week-old offline scan and a slightly fast device clock are accepted and recorded as sent', async () => {
    for (const [i, scannedAt] of [hoursFromNow(0), hoursFromNow(-7 * 24 + 1), hoursFromNow(2)].entries()) {
      const nonce = `scan-time-ok-${i}`;
      const res = await scan({ qr: gate.secrets[i], scannedAt, nonce });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().result.data.result).toBe('ok');
      const [row] = await queryRows<{ at: string }>(suite.deps.db, sql`select scanned_at as at from checkins where nonce = ${nonce}`);
      expect(new Date(row!.at).toISOString()).toBe(scannedAt);
    }
  });
});
