import type { Db } from '../../db/client.ts';
import { priceProblem } from '../../shared/charge-units.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Executor } from '../../shared/tx.ts';
import type {
  CreateAddOnInput,
  CreateEventInput,
  CreateTicketTypeInput,
  EventSummary,
  PublicEvent,
  SaleEvent,
  SaleStatus,
  UpdateEventInput,
} from './dto.ts';
import * as repo from './repo.ts';

const DEFAULT_HOLD_MINUTES = 15;

/** Sales run from salesStartAt (or creation) until salesEndAt, which defaults to the event's start. */
function saleStatusOf(e: repo.EventRow, now: Date): SaleStatus {
  if (!e.published) return 'unpublished';
  if (e.salesStartAt && now < e.salesStartAt) return 'not_yet';
  return now < (e.salesEndAt ?? e.startsAt) ? 'on_sale' : 'ended';
}
const isOnSale = (e: repo.EventRow, now: Date) => saleStatusOf(e, now) === 'on_sale';

/** The one rule for a sales window, on create and on every edit. */
export function assertSalesWindow(salesStartAt: Date | null, salesEndAt: Date | null) {
  if (salesStartAt && salesEndAt && salesStartAt >= salesEndAt) {
    throw new AppError('VALIDATION', 'Sales must start before they end', { field: 'salesEndAt' });
  }
}

/** A ticket type inside its own sales window, if it has one (hidden or not: a voucher may unlock a hidden one). */
const inSalesWindow = (t: repo.TicketTypeRow, now: Date) => (!t.salesStartAt || now >= t.salesStartAt) && (!t.salesEndAt || now < t.salesEndAt);

const dateOrNull = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

function toSummary(e: repo.EventRow, now: Date): EventSummary {
  return {
    id: e.id,
    name: e.name,
    venue: e.venue,
    description: e.description,
    startsAt: e.startsAt.toISOString(),
    timeZone: e.timeZone,
    currency: e.currency,
    onSale: isOnSale(e, now),
    maxTicketsPerOrder: e.maxTicketsPerOrder,
    smsCountries: e.smsCountries,
  };
}

type Item = { id: string; capacity: number | null; taken: number; reserved: number };
type Overdue = Map<string, { quantity: number; fromReserve: number }>;
/** What the public can buy: neither taken nor held back for vouchers (run-out holds count as free). */
function availableOf(item: Item, overdue: Overdue) {
  if (item.capacity === null) return null;
  const late = overdue.get(item.id) ?? { quantity: 0, fromReserve: 0 };
  return Math.max(0, item.capacity - item.taken - item.reserved + late.quantity - late.fromReserve);
}

async function eventWithItems(db: Executor, eventId: string, now: Date) {
  const event = await repo.findEvent(db, eventId);
  if (!event) throw new AppError('NOT_FOUND', 'No such event', { eventId });
  const items = await repo.itemsOf(db, eventId);
  const ids = [...items.ticketTypes, ...items.addOns].map((i) => i.id);
  const overdue = await repo.overdueHeldByItem(db, ids, now);
  return { event, ...items, overdue };
}

export async function listEvents(db: Db, now: Date): Promise<EventSummary[]> {
  const rows = await repo.listEvents(db, { publishedOnly: true });
  return rows.filter((e) => e.startsAt > new Date(now.getTime() - 24 * 3600_000)).map((e) => toSummary(e, now));
}

/**
 * The event as buyers see it. Hidden ticket types only when a voucher unlocks them; a voucher with a
 * reserve (`poolId`) sees the seats held back for it as available too.
 */
export async function getPublicEvent(
  db: Db,
  eventId: string,
  now: Date,
  view: { unlockedTypeIds?: string[]; poolId?: string } = {},
): Promise<PublicEvent> {
  const { event, ticketTypes, addOns, overdue } = await eventWithItems(db, eventId, now);
  if (!event.published) throw new AppError('NOT_FOUND', 'No such event', { eventId });
  const pool = view.poolId ? await repo.findReserve(db, view.poolId) : undefined;
  const poolLeft = pool ? Math.max(0, pool.quantity - (await repo.reserveUsage(db, pool.id, pool.ticketTypeId))) : 0;
  const visible = ticketTypes.filter((t) => inSalesWindow(t, now) && (!t.hidden || view.unlockedTypeIds?.includes(t.id)));
  return {
    ...toSummary(event, now),
    ticketTypes: visible.map((t) => {
      const available = availableOf(t, overdue);
      return {
        id: t.id,
        name: t.name,
        priceCents: t.priceCents,
        currency: event.currency,
        available: available !== null && pool?.ticketTypeId === t.id ? available + poolLeft : available,
      };
    }),
    addOns: addOns.filter((a) => !a.hidden).map((a) => ({
      id: a.id,
      name: a.name,
      priceCents: a.priceCents,
      maxPerTicket: a.maxPerTicket,
      available: availableOf(a, overdue),
    })),
  };
}

export async function getAdminEvent(db: Db, eventId: string, now: Date) {
  const { event, ticketTypes, addOns, overdue } = await eventWithItems(db, eventId, now);
  const item = (i: repo.TicketTypeRow | repo.AddOnRow) => ({
    id: i.id,
    name: i.name,
    priceCents: i.priceCents,
    capacity: i.capacity,
    taken: i.taken - (overdue.get(i.id)?.quantity ?? 0),
    reserved: i.reserved,
    available: availableOf(i, overdue),
    hidden: i.hidden,
    position: i.position,
    salesStartAt: 'salesStartAt' in i ? (i.salesStartAt?.toISOString() ?? null) : null,
    salesEndAt: 'salesEndAt' in i ? (i.salesEndAt?.toISOString() ?? null) : null,
  });
  return {
    ...toSummary(event, now),
    holdMinutes: event.holdMinutes,
    published: event.published,
    salesStartAt: event.salesStartAt?.toISOString() ?? null,
    salesEndAt: event.salesEndAt?.toISOString() ?? null,
    saleStatus: saleStatusOf(event, now),
    cancelledAt: event.cancelledAt?.toISOString() ?? null,
    ticketTypes: ticketTypes.map(item),
    addOns: addOns.map((a) => ({ ...item(a), maxPerTicket: a.maxPerTicket })),
  };
}

export async function listAllEvents(db: Db, now: Date): Promise<EventSummary[]> {
  return (await repo.listEvents(db, { publishedOnly: false })).map((e) => toSummary(e, now));
}

/** The event as orders needs it to price a purchase; NOT_FOUND / NOT_ON_SALE otherwise. */
export async function getSaleEvent(db: Executor, eventId: string, now: Date): Promise<SaleEvent> {
  const event = await repo.findEvent(db, eventId);
  if (!event || !event.published) throw new AppError('NOT_FOUND', 'No such event', { eventId });
  if (!isOnSale(event, now)) throw new AppError('NOT_ON_SALE', 'Tickets for this event are not on sale', { eventId });
  const items = await repo.itemsOf(db, eventId);
  return {
    id: event.id,
    name: event.name,
    currency: event.currency,
    holdMinutes: event.holdMinutes,
    maxTicketsPerOrder: event.maxTicketsPerOrder,
    smsCountries: event.smsCountries,
    ticketTypes: new Map(
      items.ticketTypes.filter((t) => inSalesWindow(t, now)).map((t) => [t.id, { id: t.id, name: t.name, priceCents: t.priceCents, hidden: t.hidden }]),
    ),
    addOns: new Map(
      items.addOns.filter((a) => !a.hidden).map((a) => [a.id, { id: a.id, name: a.name, priceCents: a.priceCents, maxPerTicket: a.maxPerTicket }]),
    ),
  };
}

/** Name, date and venue for messages and tickets. */
export async function getEventInfo(db: Executor, eventId: string) {
  const e = await repo.findEvent(db, eventId);
  if (!e) throw new AppError('NOT_FOUND', 'No such event', { eventId });
  return { id: e.id, name: e.name, venue: e.venue, startsAt: e.startsAt.toISOString(), timeZone: e.timeZone, currency: e.currency, salesEndAt: (e.salesEndAt ?? e.startsAt).toISOString() };
}

export async function createEvent(db: Db, input: CreateEventInput, defaultHoldMinutes = DEFAULT_HOLD_MINUTES) {
  const startsAt = new Date(input.startsAt);
  const salesEndAt = dateOrNull(input.salesEndAt);
  const salesStartAt = dateOrNull(input.salesStartAt);
  assertSalesWindow(salesStartAt, salesEndAt);
  const id = newId();
  await repo.insertEvent(db, {
    id,
    name: input.name,
    description: input.description || null,
    venue: input.venue || null,
    startsAt,
    timeZone: input.timeZone ?? 'UTC',
    currency: input.currency,
    holdMinutes: input.holdMinutes ?? defaultHoldMinutes,
    maxTicketsPerOrder: input.maxTicketsPerOrder,
    smsCountries: input.smsCountries,
    salesStartAt,
    salesEndAt,
  });
  return { eventId: id };
}

/**
 * Changes the fields given. The sales window is checked as it will be after the edit (a new start against
 * the stored end, too), under the event's row lock so two concurrent edits cannot combine into a bad one.
 */
export async function updateEvent(db: Db, input: UpdateEventInput) {
  const { eventId, ...fields } = input;
  await db.transaction(async (tx) => {
    const event = await repo.lockEvent(tx, eventId);
    if (!event) throw new AppError('NOT_FOUND', 'No such event', { eventId });
    const salesStartAt = fields.salesStartAt !== undefined ? dateOrNull(fields.salesStartAt) : event.salesStartAt;
    const salesEndAt = fields.salesEndAt !== undefined ? dateOrNull(fields.salesEndAt) : event.salesEndAt;
    assertSalesWindow(salesStartAt, salesEndAt);
    await repo.updateEvent(tx, eventId, {
      name: fields.name,
      timeZone: fields.timeZone,
      startsAt: fields.startsAt !== undefined ? new Date(fields.startsAt) : undefined,
      venue: fields.venue !== undefined ? fields.venue || null : undefined,
      description: fields.description !== undefined ? fields.description || null : undefined,
      holdMinutes: fields.holdMinutes,
      maxTicketsPerOrder: fields.maxTicketsPerOrder,
      smsCountries: fields.smsCountries,
      salesStartAt,
      salesEndAt,
      published: fields.published,
    });
  });
  return { eventId };
}

/** The event a new item belongs to, once the item's price is one checkout can charge in its currency. */
async function requireEventFor(db: Db, item: { eventId: string; priceCents: number }) {
  const event = await repo.findEvent(db, item.eventId);
  if (!event) throw new AppError('NOT_FOUND', 'No such event', { eventId: item.eventId });
  const problem = priceProblem(item.priceCents, event.currency);
  if (problem) throw new AppError('VALIDATION', problem, { field: 'priceCents' });
}

export async function createTicketType(db: Db, input: CreateTicketTypeInput) {
  await requireEventFor(db, input);
  const id = newId();
  await repo.insertTicketType(db, { id, ...input, hidden: input.hidden ?? false });
  return { ticketTypeId: id };
}

/** Ticket types of an event by id (for vouchers: which exist, which are hidden, their prices). */
export async function ticketTypesOf(db: Executor, eventId: string) {
  const { ticketTypes } = await repo.itemsOf(db, eventId);
  return ticketTypes.map((t) => ({ id: t.id, name: t.name, priceCents: t.priceCents, capacity: t.capacity, hidden: t.hidden }));
}

export async function createAddOn(db: Db, input: CreateAddOnInput) {
  await requireEventFor(db, input);
  const id = newId();
  await repo.insertAddOn(db, { id, ...input, capacity: input.capacity ?? null, maxPerTicket: input.maxPerTicket ?? 1 });
  return { addOnId: id };
}

/** One ticket type with its event's id; NOT_FOUND if there is none. */
export async function findTicketType(db: Executor, ticketTypeId: string) {
  const row = await repo.findTicketType(db, ticketTypeId);
  if (!row) throw new AppError('NOT_FOUND', 'No such ticket type', { ticketTypeId });
  return { id: row.id, eventId: row.eventId, name: row.name, priceCents: row.priceCents, hidden: row.hidden };
}
