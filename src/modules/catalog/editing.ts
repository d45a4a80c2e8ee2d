import type { Db } from '../../db/client.ts';
import type { Tx } from '../../shared/tx.ts';
import { priceProblem } from '../../shared/charge-units.ts';
import { AppError } from '../../shared/errors.ts';
import type { ItemQuantity, UpdateAddOnInput, UpdateTicketTypeInput } from './dto.ts';
import { reclaimItem } from './inventory.ts';
import * as repo from './repo.ts';
import { assertSalesWindow } from './service.ts';

/*
 * Editing ticket types and add-ons after sales began. A price change applies to orders placed from then
 * on (orders keep the price they were sold at); a capacity is never set below what is sold, held or held
 * back for vouchers, checked by the update itself under the item's row lock, so it cannot race a sale
 * into an oversell. `afterChange` runs in the same transaction (the composition root offers raised
 * capacity to the waiting list there, before the public can buy it).
 */

type Edits = Omit<UpdateTicketTypeInput, 'ticketTypeId'>;

const dateOrNull = (iso: string | null | undefined) => (iso === undefined ? undefined : iso ? new Date(iso) : null);

type AfterChange = (tx: Tx) => Promise<unknown>;

async function updateItem(db: Db, kind: ItemQuantity['kind'], id: string, edits: Edits, now: Date, afterChange?: AfterChange) {
  return db.transaction(async (tx) => {
    const item = await repo.lockItemRow(tx, kind, id);
    if (!item) throw new AppError('NOT_FOUND', kind === 'ticket_type' ? 'No such ticket type' : 'No such add-on');
    // An edit that names no field changes nothing (and an empty UPDATE is not SQL).
    if (Object.values(edits).every((v) => v === undefined)) return { eventId: item.eventId };
    const event = await repo.findEvent(tx, item.eventId);
    if (!event) throw new AppError('NOT_FOUND', 'No such event');
    if (edits.priceCents !== undefined) {
      const problem = priceProblem(edits.priceCents, event.currency);
      if (problem) throw new AppError('VALIDATION', problem, { field: 'priceCents' });
    }
    const salesStartAt = dateOrNull(edits.salesStartAt);
    const salesEndAt = dateOrNull(edits.salesEndAt);
    if (salesStartAt !== undefined || salesEndAt !== undefined) {
      const current = (await repo.itemsOf(tx, item.eventId)).ticketTypes.find((t) => t.id === id);
      assertSalesWindow(salesStartAt === undefined ? (current?.salesStartAt ?? null) : salesStartAt, salesEndAt === undefined ? (current?.salesEndAt ?? null) : salesEndAt);
    }
    // Holds that ran out no longer count against the new capacity.
    if (edits.capacity !== undefined && edits.capacity !== null) await reclaimItem(tx, kind, id, now);
    const { capacity, hidden, name, position, priceCents } = edits;
    const ok = await repo.updateItem(tx, kind, id, { capacity, hidden, name, position, priceCents, salesStartAt, salesEndAt });
    if (!ok) {
      const row = await repo.lockItemRow(tx, kind, id);
      const taken = row?.taken ?? 0;
      const reserved = row?.reserved ?? 0;
      const held = reserved ? `${taken} are already sold or held and ${reserved} held back for vouchers` : `${taken} are already sold or held`;
      throw new AppError('VALIDATION', `${held}: the capacity cannot be lower`, { field: 'capacity', taken, reserved });
    }
    await afterChange?.(tx);
    return { eventId: item.eventId };
  });
}

export async function updateTicketType(db: Db, input: UpdateTicketTypeInput, now: Date, afterChange?: AfterChange) {
  const { ticketTypeId, ...edits } = input;
  const { eventId } = await updateItem(db, 'ticket_type', ticketTypeId, edits, now, afterChange);
  return { ticketTypeId, eventId };
}

export async function updateAddOn(db: Db, input: UpdateAddOnInput, now: Date) {
  const { addOnId, ...edits } = input;
  const { eventId } = await updateItem(db, 'add_on', addOnId, edits, now);
  return { addOnId, eventId };
}

/** Calls the event off: unpublished (no more sales) and stamped cancelled, once. Returns whether this call did it. */
export async function markEventCancelled(db: Db, eventId: string, now: Date): Promise<{ first: boolean }> {
  return db.transaction(async (tx) => {
    const event = await repo.lockEvent(tx, eventId);
    if (!event) throw new AppError('NOT_FOUND', 'No such event', { eventId });
    if (event.cancelledAt) return { first: false };
    await repo.updateEvent(tx, eventId, { cancelledAt: now, published: false });
    return { first: true };
  });
}
