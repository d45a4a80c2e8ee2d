import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { createTestEvent } from '../../testing/fixtures.ts';

/* admin.updateEvent through the real router: permissions, validation, and what buyers see afterwards. */
let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let admin: Awaited<ReturnType<typeof userCaller>>['caller'];

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db);
  admin = (await userCaller(deps, 'admin')).caller;
});
afterAll(() => database?.drop());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );

const hoursFromNow = (h: number) => new Date(deps.clock().getTime() + h * 3600_000).toISOString();
const publicView = (eventId: string) => callerFor(deps).catalog.getEvent({ eventId });

describe('admin.updateEvent', () => {
  it('is for admins only', async () => {
    const { eventId } = await createTestEvent(deps.db, deps.clock());
    const { caller: staff } = await userCaller(deps, 'staff');
    expect(await failure(callerFor(deps).admin.updateEvent({ eventId, name: 'Hijacked' }))).toBe('UNAUTHORIZED');
    expect(await failure(staff.admin.updateEvent({ eventId, name: 'Hijacked' }))).toBe('FORBIDDEN');
    expect(await failure(staff.admin.getEvent({ eventId }))).toBe('FORBIDDEN');
    expect((await publicView(eventId)).name).not.toBe('Hijacked');
  });

  it('changes only the fields given, and clears venue and description with null or ""', async () => {
    const { eventId } = await createTestEvent(deps.db, deps.clock());
    const before = await admin.admin.getEvent({ eventId });
    await admin.admin.updateEvent({ eventId, name: '  Renamed  ', venue: 'Hall 2', description: 'Bring earplugs', holdMinutes: 30 });
    const startsAt = hoursFromNow(48);
    await admin.admin.updateEvent({ eventId, startsAt, description: '' });
    const after = await admin.admin.getEvent({ eventId });
    expect(after).toMatchObject({ name: 'Renamed', venue: 'Hall 2', description: null, holdMinutes: 30, currency: before.currency });
    expect(after.startsAt).toBe(startsAt);
    await admin.admin.updateEvent({ eventId, venue: null });
    expect((await admin.admin.getEvent({ eventId })).venue).toBeNull();
  });

  it('refuses a sales window that ends before it starts, also against the stored other end, and changes nothing', async () => {
    const { eventId } = await createTestEvent(deps.db, deps.clock());
    const bad = { eventId, salesStartAt: hoursFromNow(5), salesEndAt: hoursFromNow(2) };
    const error = await admin.admin.updateEvent(bad).catch((e: unknown) => e as TRPCError);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((error as TRPCError).message).toBe('Sales must start before they end');

    await admin.admin.updateEvent({ eventId, salesEndAt: hoursFromNow(3) });
    expect(await failure(admin.admin.updateEvent({ eventId, salesStartAt: hoursFromNow(4), name: 'Not saved' }))).toBe('BAD_REQUEST');
    const stored = await admin.admin.getEvent({ eventId });
    expect(stored).toMatchObject({ salesStartAt: null, salesEndAt: hoursFromNow(3) });
    expect(stored.name).not.toBe('Not saved');

    for (const input of [
      { eventId, startsAt: 'tomorrow' },
      { eventId, name: '   ' },
      { eventId, holdMinutes: 0 },
      { eventId, published: 'yes' as unknown as boolean },
      { eventId: 'nope' },
    ]) {
      expect(await failure(admin.admin.updateEvent(input))).toBe('BAD_REQUEST');
    }
    expect(await failure(admin.admin.updateEvent({ eventId: '00000000-0000-4000-8000-000000000000', name: 'x' }))).toBe('NOT_FOUND');
  });

  it('moves the event through not yet / on sale / ended / unpublished as buyers see it', async () => {
    const { eventId } = await createTestEvent(deps.db, deps.clock());
    const status = async () => (await admin.admin.getEvent({ eventId })).saleStatus;
    expect(await status()).toBe('on_sale');
    expect((await publicView(eventId)).onSale).toBe(true);

    await admin.admin.updateEvent({ eventId, salesStartAt: hoursFromNow(1), salesEndAt: hoursFromNow(2) });
    expect(await status()).toBe('not_yet');
    expect((await publicView(eventId)).onSale).toBe(false);
    deps.clock.advance(90 * 60_000);
    expect(await status()).toBe('on_sale');
    expect((await publicView(eventId)).onSale).toBe(true);
    deps.clock.advance(60 * 60_000);
    expect(await status()).toBe('ended');
    expect((await publicView(eventId)).onSale).toBe(false);

    await admin.admin.updateEvent({ eventId, salesStartAt: null, salesEndAt: null });
    expect((await publicView(eventId)).onSale).toBe(true);

    await admin.admin.updateEvent({ eventId, published: false });
    expect(await status()).toBe('unpublished');
    expect(await failure(publicView(eventId))).toBe('NOT_FOUND');
    expect((await callerFor(deps).catalog.listEvents()).map((e) => e.id)).not.toContain(eventId);
    await admin.admin.updateEvent({ eventId, published: true });
    expect((await publicView(eventId)).onSale).toBe(true);
  });
});
