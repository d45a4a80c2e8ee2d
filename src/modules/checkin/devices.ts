import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { hashToken, newId, newToken } from '../../shared/ids.ts';
import * as catalog from '../catalog/index.ts';
import type { DeviceView, Scanner } from './dto.ts';
import * as repo from './repo.ts';

/** Enrols a scanner for an event. The token is returned once (for the enrolment link); only its hash is kept. */
export async function createDevice(db: Db, input: { eventId: string; name: string }, createdBy: string | null, now: Date) {
  await catalog.getEventInfo(db, input.eventId);
  const token = newToken();
  const deviceId = newId();
  await repo.insertDevice(db, { id: deviceId, eventId: input.eventId, name: input.name, tokenHash: hashToken(token), createdBy, createdAt: now });
  return { deviceId, token };
}

/** Revokes a device; its next request is refused (devices are looked up per request, never cached). */
export async function revokeDevice(db: Db, deviceId: string, now: Date) {
  const row = await repo.revokeDevice(db, deviceId, now);
  if (!row) throw new AppError('NOT_FOUND', 'No such device');
  // The event too: the audit log files the revocation under it.
  return { deviceId, eventId: row.eventId, revokedAt: row.revokedAt!.toISOString() };
}

/** Every active device of an event is refused from its next request on (a load-test event's removal). */
export const revokeDevicesOfEvent = (db: Db, eventId: string, now: Date) => repo.revokeDevicesOfEvent(db, eventId, now);

export async function listDevices(db: Db, eventId: string): Promise<DeviceView[]> {
  return (await repo.devicesOfEvent(db, eventId)).map((d) => ({
    id: d.id,
    name: d.name,
    createdAt: d.createdAt.toISOString(),
    revokedAt: d.revokedAt?.toISOString() ?? null,
  }));
}

/** The device a bearer token belongs to, if it may scan now. */
export async function deviceForToken(db: Db, token: string) {
  if (token.length > 200) return null;
  return (await repo.findActiveDevice(db, hashToken(token))) ?? null;
}

/** What the scanner page needs to start: who it is and which events it may pick. */
export async function scannerInfo(db: Db, scanner: Scanner, now: Date) {
  const events =
    scanner.kind === 'device'
      ? [await catalog.getEventInfo(db, scanner.eventId)]
      : await catalog.listAllEvents(db, now);
  return {
    kind: scanner.kind,
    name: scanner.name,
    events: events.map((e) => ({ id: e.id, name: e.name, startsAt: e.startsAt })),
  };
}

/** Whether and where each ticket is checked in: `where` is the device's name, or "staff login". */
export async function checkinStates(db: Db, ticketIds: string[]) {
  const rows = await repo.checkinStatesOf(db, ticketIds);
  return new Map(
    rows.map((r) => [
      r.ticketId,
      { checkedInAt: r.checkedInAt.toISOString(), exitedAt: r.exitedAt?.toISOString() ?? null, where: r.deviceName ?? 'staff login' },
    ]),
  );
}
