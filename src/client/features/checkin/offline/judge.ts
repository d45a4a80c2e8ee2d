import { parseTicketQr, saltOfSecret } from '../../../../shared/ticket-qr.ts';
import type { ScanResult } from '../api.ts';
import type { GateSettings, SnapshotTicket, SyncMeta } from './store.ts';

/*
 * The gate's verdict without the server: the QR's Ed25519 signature checked in the browser (WebCrypto),
 * the ticket looked up in the snapshot. Same results as the server's, so the same green/amber/red.
 */
export type OfflineVerdict = {
  scan: ScanResult;
  /** The device lets the person pass (green, or amber "not in snapshot"): sent with the upload. */
  admitted: boolean;
  /** Admitted without a snapshot entry: amber, the server decides later. */
  unknown?: boolean;
  /** The ticket's new local state to store with the queued scan (null: nothing changes). */
  ticket: SnapshotTicket | null;
};

type Lookup = { byId(id: string): Promise<SnapshotTicket | undefined>; byCode(code: string): Promise<SnapshotTicket | undefined> };

const refused = (result: ScanResult['result'], reason: string): OfflineVerdict => ({ scan: { result, reason }, admitted: false, ticket: null });

const view = (t: SnapshotTicket): NonNullable<ScanResult['ticket']> => ({
  id: t.id,
  code: t.code,
  ticketTypeName: t.ticketTypeName,
  attendeeName: t.attendeeName,
  // Units left as of the last sync (a list stored before the snapshot carried them: all). Offline, add-ons
  // are shown, handed out online only.
  addOns: t.addOns.map((a) => ({ ...a, left: a.left ?? a.quantity })),
});

/** What a known ticket means at this gate in this direction, and the state it leaves. Pure. */
export function judgeTicket(t: SnapshotTicket, direction: 'in' | 'out', settings: GateSettings, now: string): OfflineVerdict {
  if (t.status !== 'valid') return refused('cancelled', 'Ticket cancelled or refunded');
  const inside = t.checkedInAt !== null && t.exitedAt === null;
  if (direction === 'out') {
    if (!inside) return { scan: { result: 'not_inside', ticket: view(t), reason: 'Not inside: never checked in, or already out' }, admitted: false, ticket: null };
    return { scan: { result: 'ok', ticket: view(t), exitedAt: now }, admitted: true, ticket: { ...t, exitedAt: now } };
  }
  if (t.checkedInAt === null) return { scan: { result: 'ok', ticket: view(t), checkedInAt: now }, admitted: true, ticket: { ...t, checkedInAt: now, exitedAt: null } };
  if (!inside && settings.allowReentry) {
    return { scan: { result: 'ok', ticket: view(t), checkedInAt: t.checkedInAt }, admitted: true, ticket: { ...t, exitedAt: null } };
  }
  return { scan: { result: 'already_checked_in', ticket: view(t), previous: { at: t.checkedInAt, device: null } }, admitted: false, ticket: null };
}

const keyCache = new Map<string, Promise<CryptoKey>>();
const importKey = (spki: string) => {
  let key = keyCache.get(spki);
  if (!key) {
    const der = Uint8Array.from(atob(spki), (c) => c.charCodeAt(0));
    keyCache.set(spki, (key = crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify'])));
  }
  return key;
};

/** True when one of the event's keys signed this QR's body (any failure to verify counts as forged). */
export async function signatureValid(parsed: NonNullable<ReturnType<typeof parseTicketQr>>, keys: SyncMeta['keys']) {
  for (const k of keys) {
    try {
      const key = await importKey(k.spki);
      if (await crypto.subtle.verify({ name: 'Ed25519' }, key, parsed.signature, parsed.body)) return true;
    } catch {
      // An unsupported or damaged key verifies nothing.
    }
  }
  return false;
}

/** Judges a QR or a code against the snapshot. A QR failing its signature is red without any lookup. */
export async function judgeOffline(
  input: { qr?: string; code?: string; direction: 'in' | 'out' },
  meta: Pick<SyncMeta, 'eventId' | 'keys' | 'settings'>,
  lookup: Lookup,
  now: string,
): Promise<OfflineVerdict> {
  if (input.code !== undefined) {
    const t = await lookup.byCode(input.code);
    return t ? judgeTicket(t, input.direction, meta.settings, now) : refused('invalid', 'No ticket with this code in the snapshot');
  }
  const qr = (input.qr ?? '').trim();
  const parsed = parseTicketQr(qr);
  if (!parsed) return refused('invalid', 'Not a ticket QR code');
  if (parsed.eventId !== meta.eventId) return refused('wrong_event', 'Ticket for another event');
  if (!(await signatureValid(parsed, meta.keys))) return refused('invalid', 'Forged or damaged QR code');
  const t = await lookup.byId(parsed.ticketId);
  if (!t) {
    if (!meta.settings.admitUnknownOffline || input.direction === 'out') return refused('invalid', 'Not in snapshot (sold after the last sync?)');
    return { scan: { result: 'ok', reason: 'Not in snapshot: genuine QR, the server decides later' }, admitted: true, unknown: true, ticket: null };
  }
  if (t.salt !== saltOfSecret(qr)) return refused('invalid', 'Outdated QR: the ticket was re-issued');
  return judgeTicket(t, input.direction, meta.settings, now);
}
