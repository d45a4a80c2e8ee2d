import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testConfig } from '../../config.ts';
import { buildApp } from '../../server/app.ts';
import { loginCookie, testDeps, userCaller } from '../../testing/app.ts';
import { CSRF_HEADER } from '../../shared/csrf.ts';
import { enrolDevice, gateWithAddOns } from '../../testing/gate.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { voidTicketsOfOrder } from '../tickets/index.ts';
import { rowsOf } from './scan-repo.ts';

const suite = useTestDatabase();

/** The appCode a call fails with (or its tRPC code), or 'resolved'. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string; cause?: { code?: string } }) => e.cause?.code ?? e.code ?? String(e),
  );

/** One ticket with 1 × Dinner voucher and 2 × Drink token, and a device at the bar. */
async function setup() {
  const { tickets, device, ...rest } = await gateWithAddOns(suite.deps, { deviceName: 'Bar' });
  return { ...rest, ticket: tickets[0]!, bar: device };
}

type RedemptionRow = { id: string; add_on_id: string; device_id: string | null; user_id: string | null; redeemed_at: string };
/** A ticket's redemptions as stored, times as ISO strings. */
const redemptionsOf = async (ticketId: string) =>
  (
    await rowsOf<RedemptionRow & { undone_at: string | null; undone_device_id: string | null; undone_user_id: string | null }>(
      suite.deps.db,
      sql`SELECT id, add_on_id, device_id, user_id, redeemed_at, undone_at, undone_device_id, undone_user_id
          FROM add_on_redemptions WHERE ticket_id = ${ticketId}::uuid ORDER BY redeemed_at, id`,
    )
  ).map((r) => ({ ...r, redeemed_at: new Date(r.redeemed_at).toISOString(), undone_at: r.undone_at && new Date(r.undone_at).toISOString() }));
const unitsOut = async (ticketId: string, addOnId: string) =>
  (
    await rowsOf<{ redeemed: number }>(
      suite.deps.db,
      sql`SELECT redeemed FROM add_on_usage WHERE ticket_id = ${ticketId}::uuid AND add_on_id = ${addOnId}::uuid`,
    )
  )[0]?.redeemed ?? 0;

describe('add-on units at the gate', () => {
  it('hands out each unit once with who and when, then NONE_LEFT; the scan shows units left', async () => {
    const s = await setup();
    const redeem = (addOnId: string) => s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId });
    const first = await redeem(s.drink);
    expect(first).toMatchObject({ addOn: { id: s.drink, name: 'Drink token', quantity: 2 }, left: 1, redeemedAt: suite.deps.clock().toISOString() });
    const scanned = await s.bar.caller.checkin.scan({ eventId: s.eventId, qr: s.ticket.secret });
    expect(scanned.ticket!.addOns.map((a) => [a.name, a.quantity, a.left])).toEqual([
      ['Dinner voucher', 1, 1],
      ['Drink token', 2, 1],
    ]);
    suite.deps.clock.advance(60_000);
    const { caller: staff, user } = await userCaller(suite.deps, 'staff');
    const second = await staff.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink });
    expect(second.left).toBe(0);
    expect(await failure(redeem(s.drink))).toBe('NONE_LEFT');
    expect((await redeem(s.dinner)).left).toBe(0);
    expect(await failure(redeem(s.dinner))).toBe('NONE_LEFT');
    expect((await redemptionsOf(s.ticket.id)).filter((r) => r.add_on_id === s.drink)).toMatchObject([
      { id: first.redemptionId, device_id: s.bar.deviceId, user_id: null, redeemed_at: first.redeemedAt, undone_at: null },
      { id: second.redemptionId, device_id: null, user_id: user.id, redeemed_at: second.redeemedAt, undone_at: null },
    ]);
    const rescanned = await s.bar.caller.checkin.scan({ eventId: s.eventId, qr: s.ticket.secret });
    expect(rescanned.ticket!.addOns.map((a) => a.left)).toEqual([0, 0]);
    const out = await s.bar.caller.checkin.scan({ eventId: s.eventId, qr: s.ticket.secret, direction: 'out' });
    expect(out).toMatchObject({ result: 'ok', exitedAt: expect.any(String) });
    expect(out.ticket!.addOns.map((a) => a.left)).toEqual([0, 0]);
  });

  it('a retried nonce answers with its first redemption (and the units left now), also when that took the last unit or many retries race', async () => {
    const s = await setup();
    const nonce = randomUUID();
    const call = () => s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink, nonce });
    const first = await call();
    expect(await call()).toEqual(first);
    expect(await unitsOut(s.ticket.id, s.drink)).toBe(1);
    // Retries overtaking each other: one unit, one row, one answer.
    const burstNonce = randomUUID();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink, nonce: burstNonce })),
    );
    expect(new Set(burst.map((r) => r.redemptionId)).size).toBe(1);
    expect(burst[0]!.left).toBe(0);
    expect(await redemptionsOf(s.ticket.id)).toHaveLength(2);
    // The same redemption, with the units left now.
    expect(await call()).toEqual({ ...first, left: 0 });
    // Another scanner's nonce is its own: no unit left for it.
    const other = await enrolDevice(suite.deps, s.eventId, 'Bar 2');
    expect(await failure(other.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink, nonce }))).toBe('NONE_LEFT');
  });

  it('ten devices race for two units: two get one each, eight hear NONE_LEFT', async () => {
    const s = await setup();
    const bars = await Promise.all(Array.from({ length: 10 }, (_, i) => enrolDevice(suite.deps, s.eventId, `Bar ${i}`)));
    const answers = await Promise.all(
      bars.map((b) => failure(b.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink, nonce: randomUUID() }))),
    );
    expect(answers.filter((a) => a === 'resolved')).toHaveLength(2);
    expect(answers.filter((a) => a === 'NONE_LEFT')).toHaveLength(8);
    expect(await unitsOut(s.ticket.id, s.drink)).toBe(2);
    expect(await redemptionsOf(s.ticket.id)).toHaveLength(2);
  });

  it('an undo gives the unit back once, recorded with who and when; repeating it changes nothing', async () => {
    const s = await setup();
    const redeem = () => s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink });
    const [first] = [await redeem(), await redeem()];
    suite.deps.clock.advance(30_000);
    const { caller: staff, user } = await userCaller(suite.deps, 'staff');
    const undos = await Promise.all(Array.from({ length: 5 }, () => staff.checkin.undoAddOnRedemption({ redemptionId: first.redemptionId })));
    const expected = {
      redemptionId: first.redemptionId,
      ticketId: s.ticket.id,
      addOn: { id: s.drink, name: 'Drink token', quantity: 2 },
      left: 1,
      undoneAt: suite.deps.clock().toISOString(),
    };
    expect(undos).toEqual(Array.from({ length: 5 }, () => expected));
    expect(await unitsOut(s.ticket.id, s.drink)).toBe(1);
    expect((await redemptionsOf(s.ticket.id)).find((r) => r.id === first.redemptionId)).toMatchObject({
      undone_at: expected.undoneAt,
      undone_user_id: user.id,
      undone_device_id: null,
    });
    const scanned = await s.bar.caller.checkin.scan({ eventId: s.eventId, qr: s.ticket.secret });
    expect(scanned.ticket!.addOns.find((a) => a.id === s.drink)!.left).toBe(1);
    // The unit given back can be handed out again, and then none is left.
    expect((await redeem()).left).toBe(0);
    expect(await failure(redeem())).toBe('NONE_LEFT');
    // Unknown ids, and another event's device, find nothing.
    expect(await failure(staff.checkin.undoAddOnRedemption({ redemptionId: randomUUID() }))).toBe('NOT_FOUND');
    const elsewhere = await setup();
    expect(await failure(elsewhere.bar.caller.checkin.undoAddOnRedemption({ redemptionId: first.redemptionId }))).toBe('NOT_FOUND');
    expect(await failure(elsewhere.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink }))).toBe('NOT_FOUND');
  });

  it('a void ticket hands out nothing; an add-on the ticket lacks is NOT_FOUND', async () => {
    const s = await setup();
    expect(await failure(s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: randomUUID() }))).toBe('NOT_FOUND');
    await suite.deps.db.transaction((tx) => voidTicketsOfOrder(tx, s.orderId, suite.deps.clock()));
    expect(await failure(s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink }))).toBe('TICKET_VOID');
    expect(await unitsOut(s.ticket.id, s.drink)).toBe(0);
  });

  it('an offline snapshot carries units left, and its next delta carries a redemption or an undo', async () => {
    const s = await setup();
    const full = await s.bar.caller.checkin.snapshot({ eventId: s.eventId });
    expect(full.tickets.find((t) => t.id === s.ticket.id)!.addOns.map((a) => a.left)).toEqual([1, 2]);
    const redeemed = await s.bar.caller.checkin.redeemAddOn({ ticketId: s.ticket.id, addOnId: s.drink });
    const delta = await s.bar.caller.checkin.snapshot({ eventId: s.eventId, cursor: full.cursor });
    expect(delta.tickets.find((t) => t.id === s.ticket.id)?.addOns.map((a) => a.left)).toEqual([1, 1]);
    await s.bar.caller.checkin.undoAddOnRedemption({ redemptionId: redeemed.redemptionId });
    const after = await s.bar.caller.checkin.snapshot({ eventId: s.eventId, cursor: delta.cursor });
    expect(after.tickets.find((t) => t.id === s.ticket.id)?.addOns.map((a) => a.left)).toEqual([1, 2]);
  });
});

describe('add-on calls are limited per scanner', () => {
  it('a device or staff login that spent its minute is refused with RATE_LIMITED; other scanners go on', async () => {
    const s = await setup();
    const limited = testDeps(suite.database.db, {
      config: {
        limits: { ...testConfig().limits, gateAddOnsPerMinute: 2 },
        notifications: { ...testConfig().notifications, queuePrefix: `addons${randomUUID().slice(0, 8)}` },
      },
    });
    const app = await buildApp({ deps: limited });
    onTestFinished(() => app.close());
    const other = await enrolDevice(suite.deps, s.eventId, 'Bar 2');
    const call = (token: string, path: string, input: unknown) =>
      app.inject({
        method: 'POST',
        url: `/trpc/checkin.${path}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        payload: JSON.stringify(input),
      });
    const redeem = { ticketId: s.ticket.id, addOnId: s.drink };
    const first = await call(s.bar.token, 'redeemAddOn', redeem);
    expect(first.statusCode).toBe(200);
    const { redemptionId } = (first.json() as { result: { data: { redemptionId: string } } }).result.data;
    expect((await call(s.bar.token, 'undoAddOnRedemption', { redemptionId })).statusCode).toBe(200);
    const refused = await call(s.bar.token, 'redeemAddOn', redeem);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { data: { appCode: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } } } });
    expect((await call(s.bar.token, 'undoAddOnRedemption', { redemptionId })).statusCode).toBe(429);
    // Nothing was handed out by the refused call; the bar's other phone (same address) still redeems.
    expect(await unitsOut(s.ticket.id, s.drink)).toBe(0);
    expect((await call(other.token, 'redeemAddOn', redeem)).statusCode).toBe(200);
    // A staff login scanning without a device is counted as itself (its calls count even when none is left).
    const staff = await userCaller(suite.deps, 'staff');
    const cookie = await loginCookie(app, staff.email, staff.password);
    const byStaff = () =>
      app.inject({
        method: 'POST',
        url: '/trpc/checkin.redeemAddOn',
        headers: { 'content-type': 'application/json', cookie, [CSRF_HEADER]: '1' },
        payload: JSON.stringify({ ticketId: s.ticket.id, addOnId: s.dinner }),
      });
    expect([(await byStaff()).statusCode, (await byStaff()).statusCode, (await byStaff()).statusCode]).toEqual([200, 409, 429]);
  });
});
