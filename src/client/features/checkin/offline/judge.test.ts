import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKeys, privateKeyFrom, signTicketSecret } from '../../../../modules/tickets/qr-secret.ts';
import { saltOfSecret } from '../../../../shared/ticket-qr.ts';
import { forgedQrOf, legacyTwinOf } from '../../../../testing/ticket-qr.ts';
import { judgeOffline } from './judge.ts';
import type { SnapshotTicket } from './store.ts';

/* The offline verdicts with real Ed25519 keys and signatures (Node's WebCrypto, as the browser's). */
const eventId = randomUUID();
const keys = generateSigningKeys();
const privateKey = privateKeyFrom(keys.privateKey);
const sign = (ticketId: string, event = eventId) => signTicketSecret(ticketId, event, privateKey);
const now = '2030-01-01T10:00:00.000Z';

function ticket(secret: string, patch: Partial<SnapshotTicket> = {}): SnapshotTicket {
  return {
    id: '',
    code: '123456',
    status: 'valid',
    attendeeName: 'Ada Lovelace',
    ticketTypeName: 'Standard',
    salt: saltOfSecret(secret),
    addOns: [],
    checkedInAt: null,
    exitedAt: null,
    ...patch,
  };
}

function gate(tickets: SnapshotTicket[], settings = { allowReentry: false, admitUnknownOffline: false }) {
  const meta = { eventId, keys: [{ alg: 'Ed25519' as const, spki: keys.publicKey }], settings };
  const lookup = {
    byId: async (id: string) => tickets.find((t) => t.id === id),
    byCode: async (code: string) => tickets.find((t) => t.code === code),
  };
  return (input: { qr?: string; code?: string; direction?: 'in' | 'out' }) => judgeOffline({ direction: 'in', ...input }, meta, lookup, now);
}

describe('judgeOffline', () => {
  it('green for a first scan, amber after, red for forged, altered, other-event and re-issued QRs', async () => {
    const id = randomUUID();
    const secret = sign(id);
    const judge = gate([ticket(secret, { id })]);
    const first = await judge({ qr: secret });
    expect(first).toMatchObject({ scan: { result: 'ok', checkedInAt: now }, admitted: true, ticket: { id, checkedInAt: now } });
    const again = gate([first.ticket!]);
    expect((await again({ qr: secret })).scan).toMatchObject({ result: 'already_checked_in', previous: { at: now } });
    expect((await judge({ qr: forgedQrOf(secret) })).scan).toMatchObject({ result: 'invalid', reason: 'Forged or damaged QR code' });
    expect((await judge({ qr: sign(id, randomUUID()) })).scan.result).toBe('wrong_event');
    expect((await judge({ qr: 'hello' })).scan.result).toBe('invalid');
    expect((await judge({ qr: sign(id) })).scan).toMatchObject({ result: 'invalid', reason: 'Outdated QR: the ticket was re-issued' });
  });

  it('admits a ticket issued in the legacy layout by its QR; a forged legacy QR or its compact twin are red', async () => {
    const id = randomUUID();
    const legacy = legacyTwinOf(sign(id), privateKey);
    const judge = gate([ticket(legacy, { id })]);
    expect((await judge({ qr: forgedQrOf(legacy) })).scan).toMatchObject({ result: 'invalid', reason: 'Forged or damaged QR code' });
    expect((await judge({ qr: legacyTwinOf(sign(id, randomUUID()), privateKey) })).scan.result).toBe('wrong_event');
    expect((await judge({ qr: sign(id) })).scan).toMatchObject({ result: 'invalid', reason: 'Outdated QR: the ticket was re-issued' });
    expect(await judge({ qr: legacy })).toMatchObject({ scan: { result: 'ok', checkedInAt: now }, admitted: true, ticket: { id } });
  });

  it('codes, void tickets, exits, re-entry, and genuine QRs missing from the snapshot per the event setting', async () => {
    const id = randomUUID();
    const secret = sign(id);
    expect((await gate([ticket(secret, { id })])({ code: '123456' })).scan.result).toBe('ok');
    expect((await gate([ticket(secret, { id })])({ code: '654321' })).scan.result).toBe('invalid');
    expect((await gate([ticket(secret, { id, status: 'void' })])({ qr: secret })).scan.result).toBe('cancelled');
    const inside = ticket(secret, { id, checkedInAt: now });
    expect(await gate([inside])({ qr: secret, direction: 'out' })).toMatchObject({ scan: { result: 'ok', exitedAt: now }, ticket: { exitedAt: now } });
    const outside = ticket(secret, { id, checkedInAt: now, exitedAt: now });
    expect((await gate([outside])({ qr: secret, direction: 'out' })).scan.result).toBe('not_inside');
    expect((await gate([outside])({ qr: secret })).scan.result).toBe('already_checked_in');
    expect((await gate([outside], { allowReentry: true, admitUnknownOffline: false })({ qr: secret })).scan.result).toBe('ok');
    const unknown = sign(randomUUID());
    expect(await gate([])({ qr: unknown })).toMatchObject({ scan: { result: 'invalid' }, admitted: false });
    expect(await gate([], { allowReentry: false, admitUnknownOffline: true })({ qr: unknown })).toMatchObject({
      scan: { result: 'ok' },
      admitted: true,
      unknown: true,
    });
  });
});
