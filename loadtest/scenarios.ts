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

/**
 * order: an on-sale rush on one hot ticket type. Each customer orders one priced ticket (orders.create:
 * the capacity row is locked, a hold and a payment are written, the test provider returns its checkout
 * URL) — the request every buyer makes at once; paying happens later, spread over the hold time.
 */
async function order(target: Target, _sizes: Sizes, capacity = 1_000_000): Promise<Scenario> {
  const event = await seedEvent(target.database, capacity, 2500);
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
        sql`SELECT (SELECT coalesce(sum(quantity), 0) FROM holds WHERE item_id = ${event.ticketTypeId} AND status IN ('held', 'sold')) AS held,
                   (SELECT taken FROM ticket_types WHERE id = ${event.ticketTypeId}) AS taken,
                   (SELECT count(*) FROM orders WHERE event_id = ${event.eventId} AND status = 'pending') AS pending`,
      );
      const row = (rows as unknown as { rows: { held: number; taken: number; pending: number }[] }).rows[0]!;
      return {
        capacity,
        ticketsHeld: Number(row.held),
        capacityTaken: Number(row.taken),
        pendingOrders: Number(row.pending),
        okResponses,
        oversold: Number(row.held) > capacity || Number(row.taken) > capacity,
        // Requests still in flight when the clock stops complete on the server but are not counted: ≥, not =.
        everyOkIsAnOrder: Number(row.pending) >= okResponses,
        everyOrderHoldsItsTicket: Number(row.held) === Number(row.pending),
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
