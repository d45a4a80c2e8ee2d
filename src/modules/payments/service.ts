import { newId } from '../../shared/ids.ts';
import type { Executor, Tx } from '../../shared/tx.ts';
import type { PaymentDto, PaymentProvider, PaymentProviders, PaymentStatus, RefundDto } from './dto.ts';
import * as repo from './repo.ts';
import { testProvider } from './test-provider.ts';

const toDto = (r: repo.PaymentRow): PaymentDto => ({
  id: r.id,
  orderId: r.orderId,
  provider: r.provider,
  status: r.status,
  amountCents: r.amountCents,
  currency: r.currency,
  providerRef: r.providerRef,
  checkoutAttempt: r.checkoutAttempt,
  checkoutStartedAt: r.checkoutStartedAt ?? r.createdAt,
});

/** The TEST provider collects no money: never under NODE_ENV=production unless ALLOW_TEST_PAYMENTS=true says so. */
export const testPaymentsAllowed = (config: { nodeEnv: string; allowTestPayments: boolean }) =>
  config.nodeEnv !== 'production' || config.allowTestPayments;

/**
 * The providers of this process. The TEST provider (no money collected) is there unless `allowTest` is
 * false (production without ALLOW_TEST_PAYMENTS): then it can neither start a checkout nor pay an older
 * test order, and without Stripe nothing priced can be sold.
 */
export function createProviders(extra: PaymentProvider[] = [], opts: { allowTest?: boolean } = {}): PaymentProviders {
  const available = opts.allowTest === false ? extra : [testProvider, ...extra];
  const all = new Map(available.map((p) => [p.name, p]));
  // The last configured provider wins; with none configured that is the test provider (where allowed).
  const current = available[available.length - 1] ?? null;
  return { current, get: (name) => all.get(name) };
}

export async function createPayment(
  tx: Tx,
  input: { orderId: string; provider: string; amountCents: number; currency: string },
  now: Date,
): Promise<PaymentDto> {
  const row = { id: newId(), ...input, status: 'created' as const, providerRef: null, checkoutAttempt: 1, checkoutStartedAt: now, createdAt: now, updatedAt: now };
  await repo.insertPayment(tx, row);
  return toDto(row);
}

export async function latestPaymentOf(db: Executor, orderId: string): Promise<PaymentDto | null> {
  const row = await repo.latestOfOrder(db, orderId);
  return row ? toDto(row) : null;
}

export async function recordProviderRef(db: Executor, paymentId: string, providerRef: string, now: Date) {
  await repo.setProviderRef(db, paymentId, providerRef, now);
}

/**
 * Moves an open payment from checkout attempt `spent` to the next, starting now. Conditional, so two
 * retries that found the same attempt spent start one new attempt between them. Returns the payment as it is now.
 */
export async function beginNextCheckoutAttempt(db: Executor, paymentId: string, spent: number, now: Date): Promise<PaymentDto | null> {
  await repo.nextAttempt(db, paymentId, spent, now);
  return findPayment(db, paymentId);
}

/** created/pending → to; false when the payment was already elsewhere (a duplicate or a late event). */
export async function settlePayment(tx: Tx, paymentId: string, to: Exclude<PaymentStatus, 'created'>, now: Date) {
  const from: PaymentStatus[] = to === 'refunded' ? ['confirmed'] : ['created', 'pending'];
  return Boolean(await repo.transition(tx, paymentId, from, to, now));
}

/** Moves a payment on only from one of `from`; true when this call moved it (so its effects happen once). */
export async function movePayment(tx: Tx, paymentId: string, from: PaymentStatus[], to: PaymentStatus, now: Date) {
  return Boolean(await repo.transition(tx, paymentId, from, to, now));
}

export async function findPayment(db: Executor, paymentId: string): Promise<PaymentDto | null> {
  const row = await repo.findById(db, paymentId);
  return row ? toDto(row) : null;
}

/** How a provider event was handled, if it was handled to the end before. */
export async function processedEventOutcome(db: Executor, provider: string, eventId: string): Promise<string | null> {
  return (await repo.findEvent(db, provider, eventId))?.outcome ?? null;
}

/** Records a provider event as handled, in the transaction of its effect; false if it already was. */
export function recordProcessedEvent(tx: Tx, event: { provider: string; eventId: string; type: string; outcome: string }, now: Date) {
  return repo.insertEvent(tx, { ...event, processedAt: now });
}

export async function paymentsOfOrder(db: Executor, orderId: string): Promise<PaymentDto[]> {
  return (await repo.paymentsOfOrder(db, orderId)).map(toDto);
}

/** Records a partial refund (inside the caller's transaction); false when this key was recorded already. */
export function recordPartialRefund(
  tx: Tx,
  input: { payment: PaymentDto; amountCents: number; ticketIds: string[]; reason: string; actor: string; key: string },
  now: Date,
): Promise<boolean> {
  const { payment } = input;
  return repo.insertRefund(tx, {
    id: newId(),
    paymentId: payment.id,
    orderId: payment.orderId,
    amountCents: input.amountCents,
    currency: payment.currency,
    ticketIds: input.ticketIds,
    reason: input.reason,
    actor: input.actor,
    idempotencyKey: input.key,
    createdAt: now,
  });
}

export async function refundsOfOrder(db: Executor, orderId: string): Promise<RefundDto[]> {
  return (await repo.refundsOfOrder(db, orderId)).map((r) => ({
    id: r.id, amountCents: r.amountCents, currency: r.currency, ticketIds: r.ticketIds, reason: r.reason, actor: r.actor, createdAt: r.createdAt,
  }));
}

/** What partial refunds gave back of a payment so far. */
export const refundedCentsOf = (db: Executor, paymentId: string) => repo.refundedCents(db, paymentId);
