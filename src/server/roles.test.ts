import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { completeTestPayment } from '../modules/orders/service.ts';
import { placeOrder } from '../modules/orders/index.ts';
import { ticketsOfOrder } from '../modules/tickets/index.ts';
import { userCaller } from '../testing/app.ts';
import { createTestEvent, customer } from '../testing/fixtures.ts';
import { useTestDatabase } from '../testing/suite.ts';
import { appRouter } from './router.ts';

/* Roles (admin, staff, read-only viewer) and the audit log every organizer mutation writes. */

const suite = useTestDatabase();
type AnyCaller = Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures;
const adminMutations = Object.entries(procedures)
  .filter(([path, p]) => path.startsWith('admin.') && p._def.type === 'mutation')
  .map(([path]) => path.slice('admin.'.length));

const auditCount = async () => Number((await suite.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_log`) as unknown as { rows: { n: number }[] }).rows[0]!.n);
const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (err: { code?: string }) => err.code ?? String(err));

async function paidOrderOf(eventId: string, ticketTypeId: string) {
  const placed = await placeOrder(suite.deps, { eventId, customer: customer(3), lines: [{ ticketTypeId, quantity: 2 }] });
  await completeTestPayment(suite.deps, { ...placed, action: 'pay' });
  return placed;
}

describe('the viewer role', () => {
  it('is refused every admin mutation (and scanning), before its input is even read', async () => {
    expect(adminMutations.length).toBeGreaterThan(10);
    const { caller } = await userCaller(suite.deps, 'viewer');
    const before = await auditCount();
    const outcomes = await Promise.all(adminMutations.map(async (name) => [name, await codeOf((caller as unknown as AnyCaller).admin![name]!({}))]));
    expect(outcomes.filter(([, code]) => code !== 'FORBIDDEN')).toEqual([]);
    expect(await codeOf(caller.checkin.scan({ eventId: '00000000-0000-4000-8000-000000000000', code: '123456' }))).toBe('FORBIDDEN');
    expect(await auditCount()).toBe(before);
  });

  it('reads the console: events, order search, an order, attendees; and changes its own password', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1000 }] });
    const placed = await paidOrderOf(eventId, ticketTypeIds[0]!);
    const { caller, password } = await userCaller(suite.deps, 'viewer');
    expect((await caller.admin.listEvents()).map((e) => e.id)).toContain(eventId);
    expect((await caller.admin.getEvent({ eventId })).id).toBe(eventId);
    expect((await caller.admin.searchOrders({ eventId })).orders.map((o) => o.id)).toEqual([placed.orderId]);
    expect((await caller.admin.getOrder({ orderId: placed.orderId })).tickets).toHaveLength(2);
    expect((await caller.admin.searchAttendees({ eventId })).attendees).toHaveLength(2);
    expect(await caller.auth.changePassword({ currentPassword: password, newPassword: 'a much longer passphrase 42' })).toEqual({ ok: true });
  });

  it('admin.createUser accepts role viewer; staff still scan but may not read the console', async () => {
    const { caller: admin } = await userCaller(suite.deps, 'admin');
    const { userId } = await admin.admin.createUser({ email: 'sponsor@example.com', password: 'sponsor reads the numbers', role: 'viewer' });
    expect((await admin.admin.listUsers()).find((u) => u.id === userId)?.role).toBe('viewer');
    const { caller: staff } = await userCaller(suite.deps, 'staff');
    expect(await codeOf(staff.admin.searchOrders({ eventId: '00000000-0000-4000-8000-000000000000' }))).toBe('FORBIDDEN');
  });
});

describe('the audit log', () => {
  it('every successful admin mutation writes exactly one row, with who and about which event/order; failures write none', async () => {
    const { caller: admin, user } = await userCaller(suite.deps, 'admin');
    const steps: [string, () => Promise<unknown>][] = [];
    let eventId = '', ticketTypeId = '', addOnId = '', orderId = '', deviceId = '', ticketId = '', newUserId = '';
    steps.push(['createEvent', async () => ({ eventId } = await admin.admin.createEvent({ name: 'Audited', startsAt: '2030-06-01T18:00:00Z', timeZone: 'Europe/Berlin', currency: 'EUR' }))]);
    steps.push(['updateEvent', () => admin.admin.updateEvent({ eventId, name: 'Audited gig' })]);
    steps.push(['createTicketType', async () => ({ ticketTypeId } = await admin.admin.createTicketType({ eventId, name: 'GA', priceCents: 1500, capacity: 10 }))]);
    steps.push(['createAddOn', async () => ({ addOnId } = await admin.admin.createAddOn({ eventId, name: 'Drink', priceCents: 300 }))]);
    steps.push(['createDevice', async () => ({ deviceId } = await admin.admin.createDevice({ eventId, name: 'North gate' }))]);
    steps.push(['revokeDevice', () => admin.admin.revokeDevice({ deviceId })]);
    steps.push(['resendOrderTickets', async () => {
      ({ orderId } = await paidOrderOf(eventId, ticketTypeId));
      ticketId = (await ticketsOfOrder(suite.deps.db, orderId))[0]!.id;
      return admin.admin.resendOrderTickets({ orderId });
    }]);
    steps.push(['renameTicketHolder', () => admin.admin.renameTicketHolder({ orderId, ticketId, name: 'Grace Hopper' })]);
    steps.push(['refundOrder', () => admin.admin.refundOrder({ orderId, ticketIds: [ticketId] })]);
    steps.push(['createUser', async () => ({ userId: newUserId } = await admin.admin.createUser({ email: 'audited@example.com', password: 'an audited passphrase', role: 'staff' }))]);
    steps.push(['disableUser', () => admin.admin.disableUser({ userId: newUserId })]);
    for (const [name, run] of steps) {
      const before = await auditCount();
      suite.deps.clock.advance(1000);
      await run();
      expect([name, await auditCount()]).toEqual([name, before + 1]);
    }
    void addOnId;
    const before = await auditCount();
    expect(await codeOf(admin.admin.updateEvent({ eventId, salesStartAt: '2031-01-01T00:00:00Z', salesEndAt: '2030-01-01T00:00:00Z' }))).toBe('BAD_REQUEST');
    expect(await auditCount()).toBe(before);

    const forEvent = await admin.admin.auditLog({ eventId });
    expect(forEvent.entries.map((e) => e.action).reverse()).toEqual([
      'admin.createEvent', 'admin.updateEvent', 'admin.createTicketType', 'admin.createAddOn', 'admin.createDevice', 'admin.revokeDevice',
    ]);
    const forOrder = await admin.admin.auditLog({ orderId });
    expect(forOrder.entries.map((e) => e.action)).toEqual(['admin.refundOrder', 'admin.renameTicketHolder', 'admin.resendOrderTickets']);
    expect(forOrder.entries.every((e) => e.actorEmail === user.email)).toBe(true);
    const created = (await admin.admin.auditLog({})).entries.find((e) => e.action === 'admin.createUser')!;
    expect(JSON.stringify(created.details)).not.toContain('an audited passphrase');
    expect(created.details).toMatchObject({ input: { email: 'audited@example.com', password: '[redacted]' } });
  });
});
