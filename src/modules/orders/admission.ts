import { createHmac } from 'node:crypto';
import type { CallLimits } from '../../shared/call-limits.ts';
import { AppError } from '../../shared/errors.ts';
import type { Tx } from '../../shared/tx.ts';
import type { CreateOrderInput } from './dto.ts';
import * as repo from './repo.ts';

/** Where an order comes from: the caller's address and the limits that count its calls. */
export type OrderOrigin = { ip: string; limits: CallLimits };

export type AdmissionConfig = {
  appSecret?: string;
  limits: { heldTicketsPerEmail: number; heldTicketsPerAddress: number };
};

/**
 * A keyed hash of the caller's address: enough to count one address's holds, useless to anyone who reads
 * the table (without the key the IPv4 space could simply be hashed through).
 */
export const originHashOf = (appSecret: string | undefined, ip: string) =>
  createHmac('sha256', appSecret ?? 'no-app-secret').update(ip).digest('base64url').slice(0, 22);

/**
 * Caps the tickets one email and one address may hold in pending orders of an event at once, so a client
 * can't hold an event's capacity hostage with unpaid orders. Each holder is locked (advisory, until commit)
 * before it is counted, so parallel orders of one holder cannot all pass the same count.
 */
export async function assertHoldAllowed(
  tx: Tx,
  config: AdmissionConfig,
  order: { eventId: string; customerEmail: string; originHash: string | null; tickets: number },
  now: Date,
): Promise<void> {
  const { heldTicketsPerEmail, heldTicketsPerAddress } = config.limits;
  if (heldTicketsPerEmail > 0) {
    await repo.lockHolder(tx, `hold:email:${order.eventId}:${order.customerEmail}`);
    const held = await repo.pendingTicketsOf(tx, order.eventId, { customerEmail: order.customerEmail }, now);
    if (held + order.tickets > heldTicketsPerEmail) {
      throw new AppError('HOLD_LIMIT', `This email already holds ${held} unpaid tickets for this event; pay or cancel those orders first`, {
        held,
        limit: heldTicketsPerEmail,
      });
    }
  }
  if (heldTicketsPerAddress > 0 && order.originHash) {
    await repo.lockHolder(tx, `hold:origin:${order.eventId}:${order.originHash}`);
    const held = await repo.pendingTicketsOf(tx, order.eventId, { originHash: order.originHash }, now);
    if (held + order.tickets > heldTicketsPerAddress) {
      throw new AppError('HOLD_LIMIT', 'Too many unpaid tickets are held from your network for this event; try again in a few minutes', {
        limit: heldTicketsPerAddress,
      });
    }
  }
}

/**
 * A free order sends email (and SMS) to whatever contact was typed, with no payment behind it: counted
 * per recipient and per address so the form can't be used to spam someone or run up SMS costs.
 */
export async function takeFreeOrderAllowance(origin: OrderOrigin, customer: CreateOrderInput['customer']): Promise<void> {
  await origin.limits.take('freeOrdersPerIp', origin.ip);
  await origin.limits.take('freeOrdersPerRecipient', `email:${customer.email.toLowerCase()}`);
  if (customer.phone) await origin.limits.take('freeOrdersPerRecipient', `phone:${customer.phone}`);
}
