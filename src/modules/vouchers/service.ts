import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/client.ts';
import { priceProblem } from '../../shared/charge-units.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Executor, Tx } from '../../shared/tx.ts';
import * as catalog from '../catalog/index.ts';
import * as waitlist from '../waitlist/index.ts';
import { newVoucherCode, normalizeCode } from './codes.ts';
import type { AdminVoucher, CreateVouchersInput, Discount, UpdateVoucherInput, VoucherTerms } from './dto.ts';
import * as repo from './repo.ts';

const MAX_LISTED = 5000;
const MAX_CODE_DRAWS = 5;

const discountOf = (v: repo.VoucherRow): Discount =>
  v.discountKind === 'percent' ? { percent: v.discountValue } : v.discountKind === 'amount' ? { amountCents: v.discountValue } : { priceCents: v.discountValue };

const discountColumns = (d: Discount) =>
  'percent' in d
    ? { discountKind: 'percent' as const, discountValue: d.percent }
    : 'amountCents' in d
      ? { discountKind: 'amount' as const, discountValue: d.amountCents }
      : { discountKind: 'price' as const, discountValue: d.priceCents };

const dateOrNull = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

function toAdmin(v: repo.VoucherRow): AdminVoucher {
  return {
    id: v.id,
    code: v.code,
    discount: discountOf(v),
    ticketTypeIds: v.ticketTypeIds,
    maxUses: v.maxUses,
    uses: v.uses,
    validFrom: v.validFrom?.toISOString() ?? null,
    validUntil: v.validUntil?.toISOString() ?? null,
    reservedQuantity: v.reservedQuantity,
    unlocksHiddenTypes: v.unlocksHidden,
    disabled: v.disabled,
    createdAt: v.createdAt.toISOString(),
  };
}

/** The rules a voucher's terms must meet against its event, on create and on every edit. */
async function assertTerms(db: Executor, eventId: string, t: { discount: Discount; ticketTypeIds: string[]; reservedQuantity: number; validFrom: Date | null; validUntil: Date | null }) {
  const event = await catalog.getEventInfo(db, eventId);
  const types = await catalog.ticketTypesOf(db, eventId);
  const unknown = t.ticketTypeIds.find((id) => !types.some((x) => x.id === id));
  if (unknown) throw new AppError('VALIDATION', 'A ticket type is not one of this event', { field: 'ticketTypeIds' });
  const amount = 'amountCents' in t.discount ? t.discount.amountCents : 'priceCents' in t.discount ? t.discount.priceCents : 0;
  const problem = priceProblem(amount, event.currency);
  if (problem) throw new AppError('VALIDATION', problem, { field: 'discount' });
  if (t.validFrom && t.validUntil && t.validFrom >= t.validUntil) {
    throw new AppError('VALIDATION', 'A voucher must become valid before it stops being valid', { field: 'validUntil' });
  }
  if (t.reservedQuantity > 0) {
    const type = t.ticketTypeIds.length === 1 ? types.find((x) => x.id === t.ticketTypeIds[0]) : undefined;
    if (!type) throw new AppError('VALIDATION', 'Seats can be reserved for a voucher on exactly one ticket type', { field: 'reservedQuantity' });
    if (type.capacity === null) throw new AppError('VALIDATION', 'An unlimited ticket type needs no reserved seats', { field: 'reservedQuantity' });
  }
}

/** Creates `count` random codes or the given ones, all on the same terms, with their reserved seats. */
export async function createVouchers(db: Db, input: CreateVouchersInput, now: Date): Promise<{ vouchers: { id: string; code: string }[] }> {
  const terms = {
    discount: input.discount,
    ticketTypeIds: [...new Set(input.ticketTypeIds ?? [])],
    reservedQuantity: input.reservedQuantity ?? 0,
    validFrom: dateOrNull(input.validFrom),
    validUntil: dateOrNull(input.validUntil),
  };
  await assertTerms(db, input.eventId, terms);
  const given = input.codes ? [...new Set(input.codes)] : null;
  if (given && given.length !== input.codes!.length) throw new AppError('VALIDATION', 'A code is listed twice', { field: 'codes' });
  return db.transaction(async (tx) => {
    const row = (code: string) => ({
      id: newId(),
      eventId: input.eventId,
      code,
      ...discountColumns(terms.discount),
      ticketTypeIds: terms.ticketTypeIds,
      maxUses: input.maxUses,
      validFrom: terms.validFrom,
      validUntil: terms.validUntil,
      reservedQuantity: terms.reservedQuantity,
      unlocksHidden: input.unlocksHiddenTypes ?? false,
      createdAt: now,
    });
    const created: { id: string; code: string }[] = [];
    let wanted = given ?? Array.from({ length: input.count! }, newVoucherCode);
    for (let draw = 0; wanted.length > 0; draw++) {
      if (draw === MAX_CODE_DRAWS) throw new Error('could not draw free voucher codes');
      const rows = wanted.map(row);
      const fresh = await repo.insertVouchers(tx, rows);
      created.push(...rows.filter((r) => fresh.has(r.code)).map((r) => ({ id: r.id, code: r.code })));
      const clashes = wanted.filter((c) => !fresh.has(c));
      if (given && clashes.length > 0) {
        throw new AppError('CONFLICT', `This event already has the code ${clashes.slice(0, 5).join(', ')}`, { field: 'codes', codes: clashes.slice(0, 20) });
      }
      wanted = clashes.map(newVoucherCode);
    }
    if (terms.reservedQuantity > 0) {
      for (const v of created) await catalog.setReserve(tx, v.id, terms.ticketTypeIds[0]!, terms.reservedQuantity, now);
    }
    return { vouchers: created };
  });
}

export async function listVouchers(db: Db, eventId: string): Promise<AdminVoucher[]> {
  return (await repo.vouchersOfEvent(db, eventId, MAX_LISTED)).map(toAdmin);
}

/** The event's codes as CSV, for handing to a partner or printing. */
export async function exportVouchersCsv(db: Db, eventId: string): Promise<string> {
  const rows = await listVouchers(db, eventId);
  const discount = (d: Discount) => ('percent' in d ? `${d.percent}%` : 'amountCents' in d ? `-${d.amountCents}` : `=${d.priceCents}`);
  return stringify(
    rows.map((v) => [v.code, discount(v.discount), v.maxUses, v.uses, v.validFrom ?? '', v.validUntil ?? '', v.reservedQuantity, v.disabled ? 'yes' : 'no']),
    { header: true, columns: ['code', 'discount', 'max_uses', 'uses', 'valid_from', 'valid_until', 'reserved_seats', 'disabled'] },
  );
}

/**
 * Changes the fields given. The reserve changes first, under the ticket type's lock (the same order as
 * orders take: ticket types, then the voucher), so the public loses or gets back exactly the difference.
 */
export async function updateVoucher(db: Db, input: UpdateVoucherInput, now: Date): Promise<AdminVoucher> {
  const current = await repo.findById(db, input.voucherId);
  if (!current) throw new AppError('NOT_FOUND', 'No such voucher');
  const next = {
    discount: input.discount ?? discountOf(current),
    ticketTypeIds: current.ticketTypeIds,
    reservedQuantity: input.reservedQuantity ?? current.reservedQuantity,
    validFrom: input.validFrom !== undefined ? dateOrNull(input.validFrom) : current.validFrom,
    validUntil: input.validUntil !== undefined ? dateOrNull(input.validUntil) : current.validUntil,
  };
  await assertTerms(db, current.eventId, next);
  return db.transaction(async (tx) => {
    if (next.reservedQuantity !== current.reservedQuantity) {
      await catalog.setReserve(tx, current.id, next.ticketTypeIds[0]!, next.reservedQuantity, now);
      // Seats no longer held back go to the people waiting for them first.
      await waitlist.offerFreedSeats(tx, next.ticketTypeIds, now);
    }
    const locked = (await repo.findById(tx, current.id, { lock: true }))!;
    const maxUses = input.maxUses ?? locked.maxUses;
    if (maxUses < locked.uses) {
      throw new AppError('VALIDATION', `${locked.uses} tickets were already bought with this code`, { field: 'maxUses' });
    }
    await repo.updateVoucher(tx, current.id, {
      ...discountColumns(next.discount),
      maxUses,
      validFrom: next.validFrom,
      validUntil: next.validUntil,
      reservedQuantity: next.reservedQuantity,
      unlocksHidden: input.unlocksHiddenTypes ?? locked.unlocksHidden,
      disabled: input.disabled ?? locked.disabled,
    });
    return toAdmin((await repo.findById(tx, current.id))!);
  });
}

/*
 * Customers. The refusals say what the customer needs (mistyped, not valid now, used up) and no more:
 * a code of another event or a disabled one reads like a mistyped one.
 */

const invalid = () => new AppError('VOUCHER_INVALID', 'This voucher code is not valid. Check that you typed it correctly.', { field: 'voucher' });

function refusalOf(v: repo.VoucherRow, now: Date, n = 1): AppError | null {
  if (v.disabled) return invalid();
  if ((v.validFrom && now < v.validFrom) || (v.validUntil && now >= v.validUntil)) {
    return new AppError('VOUCHER_EXPIRED', 'This voucher code is not valid at this time.', { field: 'voucher' });
  }
  if (v.uses + n > v.maxUses) {
    const left = v.maxUses - v.uses;
    const message = left > 0 ? `This voucher code can be used for only ${left} more ticket${left === 1 ? '' : 's'}.` : 'This voucher code has been used up.';
    return new AppError('VOUCHER_USED_UP', message, { field: 'voucher' });
  }
  return null;
}

/** The terms of a code usable for this event now; VOUCHER_INVALID / _EXPIRED / _USED_UP otherwise. */
export async function voucherTerms(db: Executor, eventId: string, typed: string, now: Date): Promise<VoucherTerms> {
  const code = normalizeCode(typed);
  const v = code ? await repo.findByCode(db, eventId, code) : undefined;
  if (!v) throw invalid();
  const refusal = refusalOf(v, now);
  if (refusal) throw refusal;
  return {
    id: v.id,
    code: v.code,
    discount: discountOf(v),
    ticketTypeIds: v.ticketTypeIds,
    unlocksHidden: v.unlocksHidden,
    hasReserve: v.reservedQuantity > 0,
  };
}

/**
 * Counts `uses` tickets of an order against the voucher, exactly once under races (one conditional
 * write). Call after the order's capacity is reserved: ticket types are locked before vouchers.
 */
export async function redeemVoucher(tx: Tx, input: { voucherId: string; orderId: string; uses: number }, now: Date): Promise<void> {
  if (!(await repo.redeemUses(tx, input, now))) {
    const v = await repo.findById(tx, input.voucherId);
    throw (v && refusalOf(v, now, input.uses)) ?? invalid();
  }
}

/** The order expired or was cancelled: its uses go back, once. A no-op for orders without a voucher. */
export async function returnVoucherUse(tx: Tx, orderId: string, now: Date): Promise<void> {
  const row = await repo.moveRedemption(tx, orderId, 'active', 'returned', now);
  if (row) await repo.giveUses(tx, row.voucherId, row.uses);
}

/**
 * A late payment of an order whose uses went back: takes them again if the voucher still has them.
 * False (nothing changed) if it was used up meanwhile. True for orders without a voucher.
 */
export async function retakeVoucherUse(tx: Tx, orderId: string, now: Date): Promise<boolean> {
  const row = await repo.moveRedemption(tx, orderId, 'returned', 'active', now);
  if (!row) return true;
  if (await repo.takeUses(tx, row.voucherId, row.uses, null)) return true;
  await repo.moveRedemption(tx, orderId, 'active', 'returned', now);
  return false;
}
