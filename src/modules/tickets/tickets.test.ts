import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOrder, placeOrder } from '../orders/index.ts';
import { queryRows } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { exportPublicKey, issueTickets, publicKeyOf, reissueTicket, voidTicketsOfOrder } from './service.ts';
import { parseTicketSecret, publicKeyFrom, verifyTicketSecret } from './qr-secret.ts';
import { codeDigitsFor } from './ticket-code.ts';
import { useTestDatabase } from '../../testing/suite.ts';

const suite = useTestDatabase();

const storedTickets = (where: ReturnType<typeof sql>) =>
  queryRows<{ id: string; code: string; secret: string; status: string }>(suite.database.db, sql`select id, code, secret, status from tickets where ${where} order by issued_at, code`);

async function paidFreeOrder(eventId: string, ticketTypeId: string, quantity: number, n = 1) {
  const placed = await placeOrder(suite.deps, { eventId, customer: customer(n), lines: [{ ticketTypeId, quantity }] });
  expect(placed.status).toBe('paid');
  return placed;
}

/** One digit of the secret changed. */
const flipOneDigit = (s: string, at: number) => s.slice(0, at) + (s[at] === '1' ? '2' : '1') + s.slice(at + 1);

describe('ticket codes', () => {
  it('have 6 digits while at most 10 % of the space is used, and grow past 100,000 tickets', () => {
    expect(codeDigitsFor(0)).toBe(6);
    expect(codeDigitsFor(1)).toBe(6);
    expect(codeDigitsFor(100_000)).toBe(6);
    expect(codeDigitsFor(100_001)).toBe(7);
    expect(codeDigitsFor(1_000_000)).toBe(7);
    expect(codeDigitsFor(1_000_001)).toBe(8);
  });

  it('are 6 digits, unique in the event and not sequential, also when 40 orders are paid at once', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ capacity: 200 }] });
    await Promise.all(Array.from({ length: 40 }, (_, i) => paidFreeOrder(eventId, ticketTypeIds[0]!, 5, i)));
    const codes = (await storedTickets(sql`event_id = ${eventId}`)).map((t) => t.code);
    expect(codes).toHaveLength(200);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBe(200);
    const sorted = codes.map(Number).sort((a, b) => a - b);
    const neighbours = sorted.filter((c, i) => i > 0 && c - sorted[i - 1]! === 1).length;
    // Random draws from a million: neighbours are rare and the codes spread over the whole space.
    expect(neighbours).toBeLessThan(3);
    expect(new Set(codes.map((c) => c[0])).size).toBeGreaterThanOrEqual(8);
    const [series] = await queryRows<{ issued_count: number }>(suite.database.db, sql`select issued_count from ticket_series where event_id = ${eventId}`);
    expect(series!.issued_count).toBe(200);
  });

  it('a code already used in the event is drawn again, only for the clashing ticket', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock());
    const issue = (quantity: number, draw: (digits: number) => string) =>
      suite.database.db.transaction((tx) =>
        issueTickets(
          tx,
          {
            orderId: randomUUID(),
            eventId,
            attendeeName: 'Ada',
            lines: [{ ticketTypeId: ticketTypeIds[0]!, ticketTypeName: 'Type 1', quantity, addOns: [] }],
          },
          suite.deps.clock(),
          draw,
        ),
      );
    await issue(1, () => '123456');
    const script = ['123456', '222222', '123456', '333333'];
    const draws: number[] = [];
    const issued = await issue(2, (digits) => (draws.push(digits), script.shift()!));
    expect(draws).toEqual([6, 6, 6, 6]);
    expect(issued.map((t) => t.code).sort()).toEqual(['222222', '333333']);
    expect((await storedTickets(sql`event_id = ${eventId}`)).map((t) => t.code).sort()).toEqual(['123456', '222222', '333333']);

    // A space that never yields a free code fails the transaction instead of looping; nothing is kept.
    await expect(issue(1, () => '123456')).rejects.toThrow(/free ticket codes/);
    expect(await storedTickets(sql`event_id = ${eventId}`)).toHaveLength(3);
  });

  it('the same code may exist in two events', async () => {
    const events = await Promise.all([1, 2].map(() => createTestEvent(suite.deps.db, suite.deps.clock())));
    for (const { eventId, ticketTypeIds } of events) {
      await suite.database.db.transaction((tx) =>
        issueTickets(
          tx,
          { orderId: randomUUID(), eventId, attendeeName: 'A', lines: [{ ticketTypeId: ticketTypeIds[0]!, ticketTypeName: 'T', quantity: 1, addOns: [] }] },
          suite.deps.clock(),
          () => '654321',
        ),
      );
    }
    expect(await storedTickets(sql`code = '654321'`)).toHaveLength(2);
  });
});

describe('QR secrets', () => {
  it('orders.get gives each ticket its stored secret as the QR text, which the event public key verifies', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock());
    const placed = await paidFreeOrder(eventId, ticketTypeIds[0]!, 2);
    const order = await getOrder(suite.deps, placed);
    const stored = await storedTickets(sql`order_id = ${placed.orderId}`);
    // A scanner holds only the exported public key.
    const scannerKey = publicKeyFrom(await exportPublicKey(suite.deps.db, eventId));
    for (const ticket of order.tickets) {
      const secret = ticket.qrText;
      expect(secret).toBe(stored.find((s) => s.id === ticket.id)!.secret);
      expect(secret).toMatch(/^2[0-9]{248}$/);
      expect(parseTicketSecret(secret)).toMatchObject({ ticketId: ticket.id, eventId });
      expect(verifyTicketSecret(secret, scannerKey)).toBe(true);
      expect(verifyTicketSecret(flipOneDigit(secret, 200), scannerKey)).toBe(false); // signature
      expect(verifyTicketSecret(flipOneDigit(secret, 85), scannerKey)).toBe(false); // salt
      expect(verifyTicketSecret(flipOneDigit(secret, 10), scannerKey)).toBe(false); // ticket id
      expect(verifyTicketSecret(secret.slice(0, -4), scannerKey)).toBe(false);
      expect(verifyTicketSecret('not a ticket', scannerKey)).toBe(false);
    }
    const other = await createTestEvent(suite.deps.db, suite.deps.clock());
    expect(verifyTicketSecret(order.tickets[0]!.qrText, await publicKeyOf(suite.deps.db, other.eventId))).toBe(false);
  });

  it('a key pair created in a transaction that rolled back is never used to sign', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock());
    const issue = (tx: Parameters<Parameters<typeof suite.database.db.transaction>[0]>[0]) =>
      issueTickets(
        tx,
        { orderId: randomUUID(), eventId, attendeeName: 'A', lines: [{ ticketTypeId: ticketTypeIds[0]!, ticketTypeName: 'T', quantity: 1, addOns: [] }] },
        suite.deps.clock(),
      );
    await expect(
      suite.database.db.transaction(async (tx) => {
        await issue(tx);
        throw new Error('payment bookkeeping failed');
      }),
    ).rejects.toThrow('payment bookkeeping failed');
    const [ticket] = await suite.database.db.transaction(issue);
    const scannerKey = publicKeyFrom(await exportPublicKey(suite.deps.db, eventId));
    expect(verifyTicketSecret(ticket!.secret, scannerKey)).toBe(true);
    expect(verifyTicketSecret(ticket!.secret, await publicKeyOf(suite.deps.db, eventId))).toBe(true);
  });

  it('voiding an order and re-issuing a ticket give new secrets; the old ones match nothing stored', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock());
    const key = await publicKeyOf(suite.deps.db, eventId);
    const first = await paidFreeOrder(eventId, ticketTypeIds[0]!, 1);
    const [before] = await storedTickets(sql`order_id = ${first.orderId}`);
    const reissued = await suite.database.db.transaction((tx) => reissueTicket(tx, before!.id, eventId));
    const [afterReissue] = await storedTickets(sql`order_id = ${first.orderId}`);
    expect(reissued!.secret).not.toBe(before!.secret);
    expect(afterReissue).toMatchObject({ secret: reissued!.secret, code: before!.code, status: 'valid' });
    expect(verifyTicketSecret(reissued!.secret, key)).toBe(true);
    expect((await getOrder(suite.deps, first)).tickets[0]!.qrText).toBe(reissued!.secret);

    const second = await paidFreeOrder(eventId, ticketTypeIds[0]!, 2);
    const live = await storedTickets(sql`order_id = ${second.orderId}`);
    expect(await suite.database.db.transaction((tx) => voidTicketsOfOrder(tx, second.orderId, suite.deps.clock()))).toBe(2);
    const voided = await storedTickets(sql`order_id = ${second.orderId}`);
    expect(voided.map((t) => t.status)).toEqual(['void', 'void']);
    for (const old of live) expect(voided.find((v) => v.id === old.id)!.secret).not.toBe(old.secret);
    // Voiding twice is a no-op.
    expect(await suite.database.db.transaction((tx) => voidTicketsOfOrder(tx, second.orderId, suite.deps.clock()))).toBe(0);
  });
});
