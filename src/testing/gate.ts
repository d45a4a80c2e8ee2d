import type { Db } from '../db/client.ts';
import { createContextInner, type AppDeps } from '../server/context.ts';
import { appRouter } from '../server/router.ts';
import { createCallerFactory } from '../trpc/index.ts';
import { customer, createTestEvent } from './fixtures.ts';
import { createDevice } from '../modules/checkin/index.ts';
import { placeOrder } from '../modules/orders/index.ts';
import * as tickets from '../modules/tickets/index.ts';

const createCaller = createCallerFactory(appRouter);

/**
 * A caller that presents a device token, as the scanner page does with Authorization: Bearer.
 * A fresh context per call, like one per HTTP request (the context remembers its device lookup).
 */
export const deviceCallerFor = (deps: AppDeps, token: string, ip = '127.0.0.1') =>
  createCaller(() => createContextInner({ deps, deviceToken: token, ip }));

/** An enrolled scanner for `eventId` and a caller acting as it. */
export async function enrolDevice(deps: AppDeps, eventId: string, name = 'Gate A', ip?: string) {
  const { deviceId, token } = await createDevice(deps.db, { eventId, name }, null, deps.clock());
  return { deviceId, token, caller: deviceCallerFor(deps, token, ip) };
}

/** An event with one free ticket type and two add-ons, as the gate tests need it. */
export const gateEvent = (db: Db, now: Date) =>
  createTestEvent(db, now, {
    ticketTypes: [{ name: 'Standard', capacity: 1000 }],
    addOns: [{ name: 'Dinner voucher' }, { name: 'Drink token', maxPerTicket: 4 }],
  });

/** Buys `quantity` free tickets through the order service and returns them with their secrets. */
export async function buyTickets(
  deps: AppDeps,
  spec: { eventId: string; ticketTypeId: string; quantity?: number; addOns?: { addOnId: string; quantity: number }[]; name?: string },
) {
  const placed = await placeOrder(deps, {
    eventId: spec.eventId,
    customer: { ...customer(), name: spec.name ?? 'Ada Lovelace' },
    lines: [{ ticketTypeId: spec.ticketTypeId, quantity: spec.quantity ?? 1, addOns: spec.addOns }],
  });
  return { orderId: placed.orderId, tickets: await tickets.ticketsOfOrder(deps.db, placed.orderId) };
}

/**
 * A gate event and `quantity` tickets each with 1 × Dinner voucher and 2 × Drink token, bought in one
 * order, and a device enrolled as `deviceName`.
 */
export async function gateWithAddOns(deps: AppDeps, opts: { quantity?: number; deviceName: string }) {
  const event = await gateEvent(deps.db, deps.clock());
  const [dinner, drink] = event.addOnIds as [string, string];
  const bought = await buyTickets(deps, {
    eventId: event.eventId,
    ticketTypeId: event.ticketTypeIds[0]!,
    quantity: opts.quantity ?? 1,
    addOns: [
      { addOnId: dinner, quantity: 1 },
      { addOnId: drink, quantity: 2 },
    ],
  });
  const device = await enrolDevice(deps, event.eventId, opts.deviceName);
  return { ...event, dinner, drink, tickets: bought.tickets, orderId: bought.orderId, device };
}
