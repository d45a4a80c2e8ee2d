import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '../../config.ts';
import { callerFor, testApp, userCaller } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { testAppleCredentials } from '../../testing/documents.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { placeOrder } from '../orders/index.ts';
import * as tickets from '../tickets/index.ts';
import { loadPassesConfig } from './index.ts';

/*
 * Apple Wallet passes, signed with a certificate chain made by the test (a CA standing in for Apple's
 * WWDR intermediate): what Wallet checks (files, manifest hashes, the PKCS#7 signature) and what the
 * gate checks (the barcode is the ticket's secret, admitted by checkin.scan).
 */

const creds = testAppleCredentials();
let database: TestDatabase;
let app: FastifyInstance;
let deps: Awaited<ReturnType<typeof testApp>>['deps'];
let event: Awaited<ReturnType<typeof createTestEvent>>;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, deps } = await testApp(database.db, { config: { passes: loadPassesConfig(creds.env) } }));
  event = await createTestEvent(database.db, deps.clock(), { ticketTypes: [{ name: 'Seated' }], addOns: [{ name: 'Programme' }] });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function paidOrder(quantity: number) {
  const placed = await placeOrder(deps, {
    eventId: event.eventId,
    customer: { name: 'Wallet Holder', email: `wallet${Math.random()}@example.com` },
    lines: [{ ticketTypeId: event.ticketTypeIds[0]!, quantity, addOns: [{ addOnId: event.addOnIds[0]!, quantity: 1 }] }],
  });
  const access = { orderId: placed.orderId, token: placed.token };
  return { access, view: await callerFor(deps).orders.get(access) };
}

async function downloadPass(url: string) {
  const res = await app.inject({ method: 'GET', url: new URL(url).pathname + new URL(url).search });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.apple.pkpass');
  return unzipSync(new Uint8Array(res.rawPayload));
}

const json = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes!).toString('utf8'));

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' }).toString();
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

/**
 * `openssl smime -verify` of the detached signature over manifest.json, trusting only the test CA (throws
 * if it does not verify); the signer must be the pass type certificate and the WWDR intermediate must ride along.
 */
function verifySignature(files: Record<string, Uint8Array>) {
  const dir = mkdtempSync(join(tmpdir(), 'gk-pkpass-'));
  writeFileSync(join(dir, 'manifest.json'), files['manifest.json']!);
  writeFileSync(join(dir, 'signature'), files['signature']!);
  openssl(dir, 'smime', '-verify', '-binary', '-inform', 'DER', '-in', 'signature', '-content', 'manifest.json', '-CAfile', creds.env.APPLE_WWDR_CERT, '-purpose', 'any', '-signer', 'signer.pem', '-out', '/dev/null');
  expect(fingerprint(readFileSync(join(dir, 'signer.pem'), 'utf8'))).toBe(fingerprint(readFileSync(creds.env.APPLE_PASS_CERT, 'utf8')));
  const carried = openssl(dir, 'pkcs7', '-inform', 'DER', '-in', 'signature', '-print_certs').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!;
  expect(carried.map(fingerprint)).toContain(fingerprint(readFileSync(creds.env.APPLE_WWDR_CERT, 'utf8')));
}

describe('Add to Apple Wallet', () => {
  it('is a signed .pkpass per ticket whose barcode is the secret, and the gate admits it', async () => {
    const { view } = await paidOrder(2);
    const ticket = view.tickets[1]!;
    expect(ticket.walletLinks.apple).toMatch(new RegExp(`/orders/${view.id}/tickets/${ticket.id}/pass\\.pkpass\\?expires=\\d+&signature=`));
    expect(ticket.walletLinks.google).toBeUndefined();
    const files = await downloadPass(ticket.walletLinks.apple!);
    expect(Object.keys(files).sort()).toEqual(['icon.png', 'icon@2x.png', 'icon@3x.png', 'manifest.json', 'pass.json', 'signature']);

    const manifest = json(files['manifest.json']) as Record<string, string>;
    expect(Object.keys(manifest).sort()).toEqual(['icon.png', 'icon@2x.png', 'icon@3x.png', 'pass.json']);
    for (const [name, sha1] of Object.entries(manifest)) expect(createHash('sha1').update(files[name]!).digest('hex'), name).toBe(sha1);
    verifySignature(files);

    const pass = json(files['pass.json']);
    expect(pass).toMatchObject({
      formatVersion: 1,
      passTypeIdentifier: creds.env.APPLE_PASS_TYPE_ID,
      teamIdentifier: creds.env.APPLE_TEAM_ID,
      serialNumber: ticket.id,
      voided: false,
      barcodes: [{ format: 'PKBarcodeFormatQR', message: ticket.qrText, altText: ticket.code }],
    });
    expect(new Date(pass.relevantDate).toISOString()).toBe(view.event.startsAt);
    const fields = Object.fromEntries(['primaryFields', 'secondaryFields', 'auxiliaryFields', 'backFields'].flatMap((k) => pass.eventTicket[k]).map((f: { key: string; value: string }) => [f.key, f.value]));
    expect(fields).toMatchObject({ event: view.event.name, holder: 'Wallet Holder', type: 'Seated', code: ticket.code, addons: 'Programme', starts: view.event.startsAt });

    const { caller } = await userCaller(deps, 'staff');
    const scanned = await caller.checkin.scan({ eventId: view.event.id, qr: pass.barcodes[0].message });
    expect(scanned).toMatchObject({ result: 'ok', ticket: { id: ticket.id } });
  });

  it('re-downloaded after a re-issue carries the new secret (the old one is refused); after voiding it is marked voided', async () => {
    const { access, view } = await paidOrder(1);
    const old = view.tickets[0]!;
    await database.db.transaction((tx) => tickets.reissueTicket(tx, old.id, view.event.id));
    const reissued = (await callerFor(deps).orders.get(access)).tickets[0]!;
    const pass = json((await downloadPass(reissued.walletLinks.apple!))['pass.json']);
    expect(pass.barcodes[0].message).toBe(reissued.qrText);
    expect(pass.serialNumber).toBe(old.id);
    const { caller } = await userCaller(deps, 'staff');
    expect((await caller.checkin.scan({ eventId: view.event.id, qr: old.qrText })).result).not.toBe('ok');

    await database.db.transaction((tx) => tickets.voidTicketsOfOrder(tx, access.orderId, deps.clock()));
    const voided = (await callerFor(deps).orders.get(access)).tickets[0]!;
    expect(voided.status).toBe('void');
    expect(voided.walletLinks.google).toBeUndefined();
    const files = await downloadPass(voided.walletLinks.apple!);
    verifySignature(files);
    expect(json(files['pass.json']).voided).toBe(true);
  });

  it("is refused for another ticket's link and when Apple Wallet is not configured", async () => {
    const { access, view } = await paidOrder(2);
    const [a, b] = view.tickets;
    const swapped = a!.walletLinks.apple!.replace(a!.id, b!.id);
    expect((await app.inject({ method: 'GET', url: new URL(swapped).pathname + new URL(swapped).search })).statusCode).toBe(404);
    const bare = await testApp(database.db);
    try {
      const url = new URL(a!.walletLinks.apple!);
      expect((await bare.app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(404);
      expect((await callerFor(bare.deps).orders.get(access)).tickets.map((t) => t.walletLinks)).toEqual([{}, {}]);
    } finally {
      await bare.app.close();
    }
  });
});

describe('Apple Wallet configuration', () => {
  const start = (env: Record<string, string | undefined>) => () => loadConfig({ NODE_ENV: 'test', ...env });

  it('is off when unset, and a start with part of it, a wrong passphrase or a foreign key is refused with a clear message', () => {
    expect(start({})().passes.apple).toBeUndefined();
    expect(start(creds.env)().passes.apple?.passTypeId).toBe(creds.env.APPLE_PASS_TYPE_ID);
    expect(start({ ...creds.env, APPLE_WWDR_CERT: undefined })).toThrow(/missing: APPLE_WWDR_CERT/);
    expect(start({ ...creds.env, APPLE_PASS_KEY_PASSPHRASE: 'wrong' })).toThrow(/APPLE_PASS_KEY_PASSPHRASE does not open it/);
    const other = testAppleCredentials();
    expect(start({ ...creds.env, APPLE_PASS_KEY: other.env.APPLE_PASS_KEY, APPLE_PASS_KEY_PASSPHRASE: other.env.APPLE_PASS_KEY_PASSPHRASE })).toThrow(
      /does not belong to the certificate/,
    );
    expect(start({ ...creds.env, APPLE_PASS_CERT: '/nonexistent.pem' })).toThrow(ConfigError);
  });
});
