import { z } from 'zod';
import { isoDateTime } from '../../shared/dates.ts';
import { checkinResults, directions } from './schema.ts';

const nonce = z
  .string()
  .min(8, 'Use a random nonce such as a UUID')
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _ only');

export const scanInput = z
  .object({
    eventId: z.uuid(),
    // Anything a camera decodes is accepted and judged (unreadable → invalid); only absurd sizes are refused.
    qr: z.string().max(2000).optional(),
    code: z
      .string()
      .trim()
      .regex(/^\d{6,9}$/, 'Enter the 6-digit code')
      .optional(),
    nonce: nonce.optional(),
    /** The device's clock when it scanned; also bounded against the server's clock (service.ts). */
    scannedAt: isoDateTime.optional(),
    /** 'out' = an exit scan: the holder goes outside (and may come back if the event allows re-entry). */
    direction: z.enum(directions).optional(),
  })
  .refine((i) => (i.qr === undefined) !== (i.code === undefined), { message: 'Send either qr or code', path: ['qr'] });
export type ScanInput = z.infer<typeof scanInput>;

export const checkinResultSchema = z.enum(checkinResults);
export type CheckinResult = z.infer<typeof checkinResultSchema>;

/** An add-on of a ticket: `quantity` units bought, `left` of them not handed out yet ("Drink token 1 of 2 left"). */
const gateAddOn = z.object({ id: z.uuid(), name: z.string(), quantity: z.number().int(), left: z.number().int() });

/** Exactly what the scanner screen shows: never the attendee's email or phone. */
export const scanResultSchema = z.object({
  result: checkinResultSchema,
  /** Why a scan was refused, in words for the red screen. */
  reason: z.string().optional(),
  ticket: z
    .object({
      id: z.uuid(),
      code: z.string(),
      ticketTypeName: z.string(),
      attendeeName: z.string(),
      addOns: z.array(gateAddOn),
    })
    .optional(),
  checkedInAt: z.string().optional(),
  /** An exit scan's time (result ok, direction out). */
  exitedAt: z.string().optional(),
  previous: z.object({ at: z.string(), device: z.string().nullable() }).optional(),
});
export type ScanResult = z.infer<typeof scanResultSchema>;

export const redeemAddOnInput = z.object({ ticketId: z.uuid(), addOnId: z.uuid(), nonce: nonce.optional() });
const addOnOfTicket = z.object({ id: z.uuid(), name: z.string(), quantity: z.number().int() });
export const redeemResultSchema = z.object({
  /** Keep it to undo this redemption (checkin.undoAddOnRedemption). */
  redemptionId: z.uuid(),
  addOn: addOnOfTicket,
  /** Units of this add-on still to hand out after this one. */
  left: z.number().int(),
  redeemedAt: z.string(),
});
export type RedeemResult = z.infer<typeof redeemResultSchema>;

export const undoAddOnInput = z.object({ redemptionId: z.uuid() });
export const undoAddOnResultSchema = z.object({
  redemptionId: z.uuid(),
  ticketId: z.uuid(),
  addOn: addOnOfTicket,
  /** Units of this add-on to hand out now that this one is back. */
  left: z.number().int(),
  undoneAt: z.string(),
});
export type UndoAddOnResult = z.infer<typeof undoAddOnResultSchema>;

export const undoInput = z.object({ ticketId: z.uuid() });
export const undoResultSchema = z.object({ ticketId: z.uuid(), checkedInAt: z.string(), undoneAt: z.string() });

export const eventIdInput = z.object({ eventId: z.uuid() });
const gateCounts = {
  /** Tickets checked in (and not undone), whether inside now or not. */
  checkedIn: z.number().int(),
  /** Checked in and not gone out since. */
  inside: z.number().int(),
  /** Exit scans counted (a person going out twice counts twice). */
  exits: z.number().int(),
  total: z.number().int(),
};
export const statsSchema = z.object({
  ...gateCounts,
  byTicketType: z.array(z.object({ ticketTypeId: z.uuid(), name: z.string(), ...gateCounts })),
});
export type CheckinStats = z.infer<typeof statsSchema>;

export const createDeviceInput = z.object({ eventId: z.uuid(), name: z.string().trim().min(1, 'Required').max(100) });
export const deviceIdInput = z.object({ deviceId: z.uuid() });
export const deviceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type DeviceView = z.infer<typeof deviceSchema>;

/** Who is scanning: an enrolled device (bound to its event) or a signed-in staff member. */
export type Scanner =
  | { kind: 'device'; deviceId: string; eventId: string; name: string }
  | { kind: 'user'; userId: string; name: string };
/** The scanner plus the network address the request came from (the code limiter counts per IP). */
export type ScanActor = Scanner & { ip: string };
/**
 * Who calls checkin.scan: staff, or a device presenting its token, not yet looked up — the scan's own
 * statement checks it (one round trip for the gate's hot call).
 */
export type GateScanner = Extract<Scanner, { kind: 'user' }> | { kind: 'deviceToken'; token: string };

export const scannerInfoSchema = z.object({
  kind: z.enum(['device', 'user']),
  name: z.string(),
  /** Events this scanner may scan for: the device's own, or every event for staff. */
  events: z.array(z.object({ id: z.uuid(), name: z.string(), startsAt: z.string() })),
});

// ---- Offline gate: snapshot, upload, conflicts, settings -------------------------------------------

/** A change cursor (a PostgreSQL transaction id, see migration 0600) as digits. */
const cursor = z.string().regex(/^\d{1,20}$/, 'Use the cursor a snapshot returned');

export const snapshotInput = z.object({
  eventId: z.uuid(),
  /** Omitted: the full snapshot. Given: only tickets changed since. */
  cursor: cursor.optional(),
  /** Paging: the last ticket id of the previous page (`more` was true). */
  after: z.uuid().optional(),
});
export type SnapshotInput = z.infer<typeof snapshotInput>;

export const gateSettingsSchema = z.object({ allowReentry: z.boolean(), admitUnknownOffline: z.boolean() });
export type GateSettings = z.infer<typeof gateSettingsSchema>;

/** What an offline scanner keeps per ticket: never the attendee's email or phone, never the QR secret. */
export const snapshotTicketSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  status: z.enum(['valid', 'void']),
  attendeeName: z.string(),
  ticketTypeName: z.string(),
  /** The QR's salt (src/shared/ticket-qr.ts): a re-issued ticket's old QR no longer matches it. */
  salt: z.string(),
  addOns: z.array(gateAddOn),
  checkedInAt: z.string().nullable(),
  exitedAt: z.string().nullable(),
});
export type SnapshotTicket = z.infer<typeof snapshotTicketSchema>;

export const snapshotSchema = z.object({
  /** Keep it (from the first page of a run) and send it next time to get only what changed since. */
  cursor,
  full: z.boolean(),
  /** More tickets follow: ask again with `after` = the last ticket's id (and the same cursor input). */
  more: z.boolean(),
  keys: z.array(z.object({ alg: z.literal('Ed25519'), spki: z.string() })),
  settings: gateSettingsSchema,
  tickets: z.array(snapshotTicketSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Most scans one upload may carry: keeps one call's cost (one statement per scan) bounded. */
export const MAX_SYNC_SCANS = 500;

export const uploadedScanSchema = z
  .object({
    nonce,
    qr: z.string().max(2000).optional(),
    code: z.string().trim().regex(/^\d{6,9}$/, 'Enter the 6-digit code').optional(),
    /** Bounded against the server's clock like a live scan's (service.ts). */
    scannedAt: isoDateTime,
    direction: z.enum(directions),
    /** The device let the person pass (green, or amber "not in snapshot"): a refusal now is a conflict. */
    admitted: z.boolean().optional(),
  })
  .refine((i) => (i.qr === undefined) !== (i.code === undefined), { message: 'Send either qr or code', path: ['qr'] });
export type UploadedScan = z.infer<typeof uploadedScanSchema>;

export const syncInput = z.object({
  eventId: z.uuid(),
  scans: z.array(uploadedScanSchema).min(1).max(MAX_SYNC_SCANS, `At most ${MAX_SYNC_SCANS} scans per upload`),
});
export type SyncInput = z.infer<typeof syncInput>;

export const syncResultSchema = z.array(
  z.object({
    nonce: z.string(),
    result: checkinResultSchema,
    reason: z.string().optional(),
    /** The device admitted someone the server had already checked in elsewhere: the check-in that stayed. */
    conflict: z.object({ at: z.string(), device: z.string().nullable() }).optional(),
  }),
);
export type SyncResult = z.infer<typeof syncResultSchema>;

export const conflictSchema = z.object({
  id: z.uuid(),
  ticket: z.object({ id: z.uuid(), code: z.string(), attendeeName: z.string() }).nullable(),
  /** The device whose offline admission came second, and when it scanned. */
  device: z.string(),
  scannedAt: z.string(),
  /** The check-in that stayed: which device (null = a staff login) and when. */
  holder: z.object({ device: z.string().nullable(), at: z.string() }),
  recordedAt: z.string(),
});
export type ConflictView = z.infer<typeof conflictSchema>;

export const gateSettingsInput = gateSettingsSchema.extend({ eventId: z.uuid() });
