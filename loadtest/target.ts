import { LOAD_TEST_KEY_HEADER } from '../src/shared/load-test-key.ts';
import type { Remote } from './remote.ts';

/*
 * The load-test event on a running install, made and removed through its public API as its admin
 * (admin.createLoadTestEvent / admin.removeLoadTestEvent): free ticket types, tickets bought by free
 * orders as customers buy them, and enrolled scanner devices. Nothing else on the install is touched.
 */

export type IssuedTicket = { id: string; code: string; qrText: string };
export type PlacedOrder = { orderId: string; token: string };

export type LoadTestEvent = {
  eventId: string;
  /** Sent with every measured call for this event: lifts per-address limits for it alone. Never logged. */
  keyHeader: Record<string, string>;
  types: { gate: string; late: string; hot: string };
  /** Capacity of the on-sale scenario's hot ticket type. */
  hotCapacity: number;
  deviceTokens: string[];
  tickets: IssuedTicket[];
  orders: PlacedOrder[];
};

const PER_ORDER = 100;
const PARALLEL_ORDERS = 4;

/**
 * Creates the event, `devices` scanner devices and `tickets` issued tickets (free orders of up to 100).
 * `onCreated` learns the event's id first, so an interruption or failure later still removes it.
 */
export async function createLoadTestEvent(
  admin: Remote,
  opts: { tickets: number; devices: number; hotCapacity: number; label: string },
  hooks: { log: (line: string) => void; onCreated: (eventId: string) => void; signal: AbortSignal },
): Promise<LoadTestEvent> {
  const { log, signal } = hooks;
  const made = await admin.call<{ eventId: string; ticketTypeIds: string[]; loadTestKey: string }>('admin.createLoadTestEvent', {
    label: opts.label,
    ticketTypes: [
      { name: 'Gate (pre-sold)', capacity: opts.tickets },
      { name: 'Late sales', capacity: 10_000_000 },
      { name: 'Hot (on-sale)', capacity: opts.hotCapacity },
    ],
  });
  hooks.onCreated(made.eventId);
  const [gate, late, hot] = made.ticketTypeIds as [string, string, string];
  const event: LoadTestEvent = {
    eventId: made.eventId,
    keyHeader: { [LOAD_TEST_KEY_HEADER]: made.loadTestKey },
    types: { gate, late, hot },
    hotCapacity: opts.hotCapacity,
    deviceTokens: [],
    tickets: [],
    orders: [],
  };
  log(`load-test event ${event.eventId} created; issuing ${opts.tickets} tickets`);
  for (let i = 0; i < opts.devices; i++) {
    const { token } = await admin.call<{ token: string }>('admin.createDevice', { eventId: event.eventId, name: `Load-test gate ${i + 1}` });
    event.deviceTokens.push(token);
  }
  const sizes = Array.from({ length: Math.ceil(opts.tickets / PER_ORDER) }, (_, i) => Math.min(PER_ORDER, opts.tickets - i * PER_ORDER));
  // Ctrl-C while issuing: stop buying; the caller removes what exists so far.
  for (let i = 0; i < sizes.length && !signal.aborted; i += PARALLEL_ORDERS) {
    await Promise.all(sizes.slice(i, i + PARALLEL_ORDERS).map((quantity, j) => issue(admin, event, quantity, i + j)));
  }
  return event;
}

/** One free order bought as a customer would, then its tickets read from the order page (QR text, code). */
async function issue(admin: Remote, event: LoadTestEvent, quantity: number, n: number) {
  const placed = await admin.call<PlacedOrder>(
    'orders.create',
    { eventId: event.eventId, customer: { name: `Load test ${n}`, email: `loadtest-${n}@example.invalid` }, lines: [{ ticketTypeId: event.types.gate, quantity }] },
    event.keyHeader,
  );
  const view = await admin.call<{ tickets: IssuedTicket[] }>('orders.get', { orderId: placed.orderId, token: placed.token }, event.keyHeader);
  event.orders.push({ orderId: placed.orderId, token: placed.token });
  event.tickets.push(...view.tickets.map((t) => ({ id: t.id, code: t.code, qrText: t.qrText })));
}

/** Removes the event (its orders cancelled, tickets void, devices revoked), in as many calls as it takes. */
export async function removeLoadTestEvent(admin: Remote, eventId: string, log: (line: string) => void) {
  for (;;) {
    const { ordersLeft, devicesRevoked } = await admin.call<{ ordersLeft: number; devicesRevoked: number }>('admin.removeLoadTestEvent', { eventId });
    if (devicesRevoked) log(`revoked ${devicesRevoked} load-test scanner device(s)`);
    if (ordersLeft === 0) break;
    log(`voiding load-test orders: ${ordersLeft}+ left`);
  }
  log(`load-test event ${eventId} removed: its orders cancelled, its tickets void`);
}
