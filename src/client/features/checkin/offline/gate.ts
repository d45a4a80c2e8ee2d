import { newNonce, scannerClient, isTransient, type ScanResult } from '../api.ts';
import { judgeOffline } from './judge.ts';
import * as store from './store.ts';

export type Direction = 'in' | 'out';
export type Judged = { scan: ScanResult; offline: boolean; unknown?: boolean };

/** How long a live scan may take before the device judges it from its snapshot instead. */
const LIVE_TIMEOUT_MS = 3000;

/**
 * A scan by an enrolled device: live when the server answers in time (same speed and guarantees as
 * ever), else judged from the snapshot and queued with the same nonce — if the live request did reach
 * the server, the upload is answered with that verdict instead of counting twice.
 */
export async function judgeScan(eventId: string, input: { qr?: string; code?: string }, direction: Direction): Promise<Judged> {
  const nonce = newNonce();
  const scannedAt = new Date().toISOString();
  if (navigator.onLine) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), LIVE_TIMEOUT_MS);
    try {
      const scan = await scannerClient.checkin.scan.mutate({ eventId, ...input, nonce, scannedAt, direction }, { signal: abort.signal });
      await rememberLive(scan, direction);
      return { scan, offline: false };
    } catch (err) {
      if (!isTransient(err)) throw err;
    } finally {
      clearTimeout(timer);
    }
  }
  return judgeFromSnapshot(eventId, input, direction, nonce, scannedAt);
}

async function judgeFromSnapshot(eventId: string, input: { qr?: string; code?: string }, direction: Direction, nonce: string, scannedAt: string) {
  const meta = await store.readMeta();
  if (!meta || meta.eventId !== eventId || meta.cursor === null) {
    throw new Error('Offline, and no ticket list on this device yet: connect once to download it');
  }
  const verdict = await judgeOffline({ ...input, direction }, meta, { byId: store.ticketById, byCode: store.ticketByCode }, scannedAt);
  const t = verdict.scan.ticket;
  // Stored (durably) before the screen shows anything: a closed tab loses no one shown green.
  await store.recordOfflineScan(
    { eventId, nonce, ...input, scannedAt, direction, admitted: verdict.admitted, ticketId: t?.id, label: t ? `${t.attendeeName} (${t.code})` : input.code },
    verdict.ticket,
  );
  return { scan: verdict.scan, offline: true, unknown: verdict.unknown };
}

/** A live verdict updates the snapshot at once, so the device knows it even if the network drops now. */
async function rememberLive(scan: ScanResult, direction: Direction) {
  if (scan.result !== 'ok' || !scan.ticket) return;
  const t = await store.ticketById(scan.ticket.id).catch(() => undefined);
  if (!t) return;
  await store.putTickets([
    direction === 'out' ? { ...t, exitedAt: scan.exitedAt ?? new Date().toISOString() } : { ...t, checkedInAt: t.checkedInAt ?? scan.checkedInAt ?? null, exitedAt: null },
  ]);
}
