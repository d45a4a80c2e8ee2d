import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { callerFor, testDeps, userCaller } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testGoogleCredentials } from '../../testing/documents.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { placeOrder } from '../orders/index.ts';
import * as tickets from '../tickets/index.ts';
import { loadPassesConfig } from './index.ts';

/*
 * "Save to Google Wallet": the link orders.get hands out is Google's save URL with a JWT signed by the
 * service account (checked here with its public key; no call to Google is made).
 */

const creds = testGoogleCredentials();
let database: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db, { config: { publicUrl: 'https://tickets.example.org', passes: loadPassesConfig(creds.env) } });
});
afterAll(async () => {
  await database?.drop();
});

type SaveClaims = {
  typ: string;
  origins: string[];
  payload: { eventTicketClasses: Record<string, unknown>[]; eventTicketObjects: Record<string, unknown>[] };
};

async function claimsOf(link: string | undefined) {
  const prefix = 'https://pay.google.com/gp/v/save/';
  expect(link?.startsWith(prefix)).toBe(true);
  const { payload, protectedHeader } = await jwtVerify<SaveClaims>(link!.slice(prefix.length), creds.publicKey, {
    issuer: 'wallet@test-project.iam.gserviceaccount.com',
    audience: 'google',
  });
  expect(protectedHeader.alg).toBe('RS256');
  return payload;
}

describe('Save to Google Wallet', () => {
  it('is a save link whose JWT verifies with the service key and carries the event class and a ticket object with the secret', async () => {
    const event = await createTestEvent(database.db, deps.clock(), { ticketTypes: [{ name: 'Floor' }], addOns: [{ name: 'Locker' }] });
    const placed = await placeOrder(deps, {
      eventId: event.eventId,
      customer: { name: 'Grace Hopper', email: 'grace@example.com' },
      lines: [{ ticketTypeId: event.ticketTypeIds[0]!, quantity: 1, addOns: [{ addOnId: event.addOnIds[0]!, quantity: 1 }] }],
    });
    const access = { orderId: placed.orderId, token: placed.token };
    const view = await callerFor(deps).orders.get(access);
    const ticket = view.tickets[0]!;
    expect(ticket.walletLinks.apple).toBeUndefined();

    const claims = await claimsOf(ticket.walletLinks.google);
    expect(claims.typ).toBe('savetowallet');
    expect(claims.origins).toEqual(['https://tickets.example.org']);
    const issuer = creds.env.GOOGLE_WALLET_ISSUER_ID;
    expect(claims.payload.eventTicketClasses).toEqual([
      expect.objectContaining({
        id: `${issuer}.event-${view.event.id}`,
        eventName: { defaultValue: { language: 'en', value: view.event.name } },
        dateTime: { start: view.event.startsAt },
      }),
    ]);
    expect(claims.payload.eventTicketObjects).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(new RegExp(`^${issuer}\\.ticket-${ticket.id}-[\\w-]+$`)),
        classId: `${issuer}.event-${view.event.id}`,
        state: 'ACTIVE',
        ticketHolderName: 'Grace Hopper',
        ticketNumber: ticket.code,
        ticketType: { defaultValue: { language: 'en', value: 'Floor' } },
        barcode: { type: 'QR_CODE', value: ticket.qrText, alternateText: ticket.code },
        textModulesData: [{ id: 'addons', header: 'Add-ons', body: 'Locker' }],
      }),
    ]);
    const { caller } = await userCaller(deps, 'staff');
    const barcode = claims.payload.eventTicketObjects[0]!.barcode as { value: string };
    expect((await caller.checkin.scan({ eventId: view.event.id, qr: barcode.value })).result).toBe('ok');

    // A re-issued ticket is a new object (Google keeps saved objects as they were); a void one has no link.
    await database.db.transaction((tx) => tickets.reissueTicket(tx, ticket.id, view.event.id));
    const reissued = (await callerFor(deps).orders.get(access)).tickets[0]!;
    const next = (await claimsOf(reissued.walletLinks.google)).payload.eventTicketObjects[0]!;
    expect(next.barcode).toMatchObject({ value: reissued.qrText });
    expect(next.id).not.toBe(claims.payload.eventTicketObjects[0]!.id);
    await database.db.transaction((tx) => tickets.voidTicketsOfOrder(tx, access.orderId, deps.clock()));
    expect((await callerFor(deps).orders.get(access)).tickets[0]!.walletLinks).toEqual({});
  });

  it('is off when unset; a start with half of it or an unusable key file is refused with a clear message', () => {
    const start = (env: Record<string, string | undefined>) => () => loadConfig({ NODE_ENV: 'test', ...env });
    expect(start({})().passes.google).toBeUndefined();
    expect(start({ GOOGLE_WALLET_ISSUER_ID: '123' })).toThrow(/needs both GOOGLE_WALLET_ISSUER_ID and GOOGLE_WALLET_SERVICE_ACCOUNT/);
    expect(start({ ...creds.env, GOOGLE_WALLET_ISSUER_ID: 'abc' })).toThrow(/GOOGLE_WALLET_ISSUER_ID is the number/);
    expect(start({ ...creds.env, GOOGLE_WALLET_SERVICE_ACCOUNT: new URL(import.meta.url).pathname })).toThrow(/is not JSON/);
  });
});
