import type { Db } from '../../db/client.ts';
import { newId } from '../../shared/ids.ts';
import * as tickets from '../tickets/index.ts';
import type { CheckinDeps } from './service.ts';
import { assertMayScan, assertPlausibleScanTime, judgeUpload, unitsLeft } from './service.ts';
import type { ConflictView, GateSettings, Scanner, Snapshot, SnapshotInput, SyncInput, SyncResult } from './dto.ts';
import * as repo from './offline-repo.ts';
import { isoOf } from './scan-repo.ts';

type Device = Extract<Scanner, { kind: 'device' }>;

/**
 * Tickets per snapshot page. A ticket is ~250 bytes of JSON, so a page stays near 1 MB and one call's
 * cost bounded; 100,000 tickets are 20 pages (loadtest/snapshot-bench.ts measures it).
 */
export const SNAPSHOT_PAGE_SIZE = 5000;
const BEFORE_FIRST_ID = '00000000-0000-0000-0000-000000000000';

const isoOrNull = (d: Date | string | null) => (d === null ? null : isoOf(d));

/**
 * A page of the event's snapshot for an enrolled device of that event (the router only lets devices
 * in): the full list without `cursor`, else only tickets changed since. No query for the key (cached).
 */
export async function snapshot(db: Db, input: SnapshotInput, device: Device): Promise<Snapshot> {
  assertMayScan(device, input.eventId);
  const [key, page] = await Promise.all([
    tickets.verifyingKeyTextOf(db, input.eventId),
    repo.snapshotPage(db, {
      eventId: input.eventId,
      sinceXid: input.cursor ?? null,
      afterId: input.after ?? BEFORE_FIRST_ID,
      // One more than a page tells whether another page follows.
      limit: SNAPSHOT_PAGE_SIZE + 1,
    }),
  ]);
  const more = page.tickets.length > SNAPSHOT_PAGE_SIZE;
  return {
    cursor: page.horizon,
    full: input.cursor === undefined,
    more,
    keys: key ? [{ alg: 'Ed25519', spki: key }] : [],
    settings: page.settings ?? { allowReentry: false, admitUnknownOffline: false },
    tickets: page.tickets.slice(0, SNAPSHOT_PAGE_SIZE).map(({ redeemed, ...t }) => ({
      ...t,
      addOns: t.addOns.map((a) => ({ ...a, left: unitsLeft(a, redeemed) })),
      checkedInAt: isoOrNull(t.checkedInAt),
      exitedAt: isoOrNull(t.exitedAt),
    })),
  };
}

/** The same bounds as a live scan's, checked for the whole batch before anything is written. */
function assertPlausibleTimes(input: SyncInput, now: Date) {
  input.scans.forEach((s, i) => assertPlausibleScanTime(s.scannedAt, now, `scans.${i}.scannedAt`));
}

/**
 * Takes a device's offline scans, in the order they happened (an exit must follow its entry), each
 * through the same exactly-once statements as a live scan. A resent batch answers the same, scan by
 * scan, and changes nothing (nonces). An admission the server refuses because another scanner checked
 * the ticket in first is recorded as a conflict and reported with the check-in that stayed.
 */
export async function sync(deps: Pick<CheckinDeps, 'db' | 'clock'>, input: SyncInput, device: Device): Promise<SyncResult> {
  assertMayScan(device, input.eventId);
  assertPlausibleTimes(input, deps.clock());
  const results: SyncResult = [];
  for (const s of input.scans) {
    const { admitted, ...scan } = s;
    const verdict = await judgeUpload(deps.db, deps.clock, { eventId: input.eventId, ...scan }, device);
    const conflict =
      admitted && s.direction === 'in' && verdict.result === 'already_checked_in'
        ? await repo.recordConflict(deps.db, { id: newId(), deviceId: device.deviceId, nonce: s.nonce, now: deps.clock() })
        : undefined;
    results.push({
      nonce: s.nonce,
      result: verdict.result,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(conflict ? { conflict: { at: isoOf(conflict.holder_at), device: conflict.holder_device } } : {}),
    });
  }
  return results;
}

const MAX_CONFLICTS_LISTED = 500;

/** The organizer's list: which ticket, which device admitted it second and when, which check-in stayed. */
export async function listConflicts(db: Db, eventId: string): Promise<ConflictView[]> {
  const rows = await repo.conflictsOfEvent(db, eventId, MAX_CONFLICTS_LISTED);
  const labels = new Map((await tickets.ticketLabels(db, [...new Set(rows.map((r) => r.ticket_id))])).map((t) => [t.id, t]));
  return rows.map((r) => ({
    id: r.id,
    ticket: labels.get(r.ticket_id) ?? null,
    device: r.device_name,
    scannedAt: isoOf(r.scanned_at),
    holder: { device: r.holder_device_name, at: isoOf(r.holder_at) },
    recordedAt: isoOf(r.recorded_at),
  }));
}

export const gateSettings = (db: Db, eventId: string): Promise<GateSettings> => repo.gateSettingsOf(db, eventId);

export async function setGateSettings(deps: Pick<CheckinDeps, 'db' | 'clock'>, input: GateSettings & { eventId: string }) {
  await repo.upsertGateSettings(deps.db, { ...input, now: deps.clock() });
  return repo.gateSettingsOf(deps.db, input.eventId);
}
