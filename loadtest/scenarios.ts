import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestSpec } from './measure.ts';
import { adminMutation, adminSession, seedEvent, seedTickets, type Target } from './setup.ts';

export const SCENARIOS = ['checkin', 'order', 'browse'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type Scenario = {
  requests: RequestSpec[];
  /** Facts checked in the database after the run (e.g. no oversell), reported in the JSON. */
  verify(okResponses: number): Promise<Record<string, unknown>>;
};

type Sizes = { seconds: number; rate?: number };

/** Tickets to scan: enough for every scan to be a first scan at the expected rate, capped for seeding time. */
const ticketsFor = ({ seconds, rate }: Sizes) => Math.min(20_000, Math.max(500, Math.ceil((rate ?? 1000) * seconds)));

/**
 * checkin: staff devices scan distinct tickets' QR codes (checkin.scan with a device token, one nonce per
 * scan); when every ticket is in, further scans answer ALREADY CHECKED IN, as repeated scans at a gate do.
 */
async function checkin(target: Target, sizes: Sizes): Promise<Scenario> {
  const event = await seedEvent(target.database, 1_000_000);
  const tickets = await seedTickets(target.database, target.url, event, ticketsFor(sizes));
  const cookie = await adminSession(target.database, target.url);
  const { token } = await adminMutation<{ token: string }>(target.url, cookie, 'admin.createDevice', { eventId: event.eventId, name: 'Gate 1' });
  let next = 0;
  return {
    requests: [
      {
        method: 'POST',
        path: '/trpc/checkin.scan',
        headers: { authorization: `Bearer ${token}` },
        body: () =>
          JSON.stringify({
            eventId: event.eventId,
            qr: tickets[next++ % tickets.length]!.secret,
            nonce: randomUUID(),
            scannedAt: new Date().toISOString(),
          }),
      },
    ],
    async verify(okResponses) {
      return { ticketsSeeded: tickets.length, scansAnswered2xx: okResponses };
    },
  };
}

/** order: customers buy one free ticket each of one hot ticket type (orders.create, paid at once). */
async function order(target: Target, _sizes: Sizes, capacity = 1_000_000): Promise<Scenario> {
  const event = await seedEvent(target.database, capacity);
  let n = 0;
  return {
    requests: [
      {
        method: 'POST',
        path: '/trpc/orders.create',
        body: () => {
          n++;
          return JSON.stringify({
            eventId: event.eventId,
            customer: { name: `Buyer ${n}`, email: `buyer${n}@example.com` },
            lines: [{ ticketTypeId: event.ticketTypeId, quantity: 1 }],
          });
        },
      },
    ],
    async verify(okResponses) {
      const rows = await target.database.db.execute(
        sql`SELECT (SELECT count(*) FROM tickets WHERE ticket_type_id = ${event.ticketTypeId}) AS issued,
                   (SELECT count(*) FROM orders WHERE event_id = ${event.eventId} AND status = 'paid') AS paid`,
      );
      const row = (rows as unknown as { rows: { issued: number; paid: number }[] }).rows[0]!;
      return {
        capacity,
        ticketsIssued: Number(row.issued),
        paidOrders: Number(row.paid),
        okResponses,
        oversold: Number(row.issued) > capacity,
        everyOkIsPaid: Number(row.paid) === okResponses,
      };
    },
  };
}

/** browse: visitors load the event list and an event page (catalog.listEvents, catalog.getEvent). */
async function browse(target: Target): Promise<Scenario> {
  const event = await seedEvent(target.database, 500);
  const input = encodeURIComponent(JSON.stringify({ eventId: event.eventId }));
  return {
    requests: [
      { method: 'GET', path: '/trpc/catalog.listEvents' },
      { method: 'GET', path: `/trpc/catalog.getEvent?input=${input}` },
    ],
    verify: async () => ({}),
  };
}

export function prepareScenario(name: ScenarioName, target: Target, sizes: Sizes): Promise<Scenario> {
  if (name === 'checkin') return checkin(target, sizes);
  if (name === 'order') return order(target, sizes);
  return browse(target);
}
