import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { sqlStateOf, UNIQUE_VIOLATION } from '../../shared/sqlstate.ts';
import * as tickets from '../tickets/index.ts';
import type { CheckinDeps } from './service.ts';
import type { RedeemResult, Scanner, UndoAddOnResult } from './dto.ts';
import { attemptByOf, eventScopeOf } from './service.ts';
import * as repo from './add-on-repo.ts';
import { isoOf } from './scan-repo.ts';

const noSuchAddOn = () => new AppError('NOT_FOUND', 'This ticket has no such add-on');

/**
 * Hands out one unit of a ticket's add-on ("Drink token 1 of 2 left"), recorded with who and when;
 * when every unit is out the answer is NONE_LEFT, however many devices try at once. A retry with the
 * same nonce answers with the first redemption and hands out nothing more.
 */
export async function redeemAddOn(
  deps: Pick<CheckinDeps, 'db' | 'clock'>,
  input: { ticketId: string; addOnId: string; nonce?: string },
  scanner: Scanner,
): Promise<RedeemResult> {
  const row = await redeemOnce(deps, input, scanner);
  const scope = eventScopeOf(scanner);
  if (!row.name || row.quantity === null || (scope && row.event_id !== scope)) throw noSuchAddOn();
  if (row.status !== 'valid') throw new AppError('TICKET_VOID', 'This ticket was cancelled or refunded');
  const addOn = { id: input.addOnId, name: row.name, quantity: row.quantity };
  if (!row.redemption_id || !row.redeemed_at) {
    const message = `No ${row.name} left on this ticket: all ${row.quantity} handed out`;
    throw new AppError('NONE_LEFT', message, { addOnId: input.addOnId, quantity: row.quantity, left: 0 });
  }
  const left = Math.max(0, row.quantity - row.redeemed);
  return { redemptionId: row.redemption_id, addOn, left, redeemedAt: isoOf(row.redeemed_at) };
}

/**
 * The statement, run once more when a request with the same nonce may have won meanwhile — this one
 * then broke the nonce's unique index, or found no unit left because that request took the last — so
 * that a retried request is answered with its first redemption (the new statement sees it committed).
 */
async function redeemOnce(deps: Pick<CheckinDeps, 'db' | 'clock'>, input: { ticketId: string; addOnId: string; nonce?: string }, scanner: Scanner) {
  const args = { ...input, ...attemptByOf(scanner), id: newId(), nonce: input.nonce ?? null, eventId: eventScopeOf(scanner), now: deps.clock() };
  const query = () => repo.redeemStatement(deps.db, tickets.gateAddOnQuery(input.ticketId, input.addOnId), args);
  if (args.nonce === null) return query();
  try {
    const row = await query();
    return row.redemption_id || row.status !== 'valid' ? row : await query();
  } catch (err) {
    if (sqlStateOf(err) === UNIQUE_VIOLATION) return query();
    throw err;
  }
}

/**
 * Takes a redemption back (handed out by mistake): the unit can be redeemed again, and the undo is
 * recorded on the redemption with who and when. Undoing it again answers the same and gives nothing back.
 */
export async function undoAddOnRedemption(
  deps: Pick<CheckinDeps, 'db' | 'clock'>,
  input: { redemptionId: string },
  scanner: Scanner,
): Promise<UndoAddOnResult> {
  const args = { ...input, ...attemptByOf(scanner), eventId: eventScopeOf(scanner), now: deps.clock() };
  let row = await repo.undoRedemption(deps.db, args);
  // A concurrent undo committed after this statement began: ask again to read its time.
  if (row && row.undone_at === null) row = await repo.undoRedemption(deps.db, args);
  if (!row?.undone_at) throw new AppError('NOT_FOUND', 'No such add-on redemption');
  const addOn = await repo.addOnOf(deps.db, tickets.gateAddOnQuery(row.ticket_id, row.add_on_id));
  if (!addOn) throw noSuchAddOn();
  return {
    redemptionId: input.redemptionId,
    ticketId: row.ticket_id,
    addOn: { id: row.add_on_id, name: addOn.name, quantity: addOn.quantity },
    left: Math.max(0, addOn.quantity - row.redeemed),
    undoneAt: isoOf(row.undone_at),
  };
}
