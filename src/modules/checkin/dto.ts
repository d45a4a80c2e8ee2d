import { z } from 'zod';
import { isoDateTime } from '../../shared/dates.ts';
import { checkinResults } from './schema.ts';

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
  })
  .refine((i) => (i.qr === undefined) !== (i.code === undefined), { message: 'Send either qr or code', path: ['qr'] });
export type ScanInput = z.infer<typeof scanInput>;

export const checkinResultSchema = z.enum(checkinResults);
export type CheckinResult = z.infer<typeof checkinResultSchema>;

const gateAddOn = z.object({ id: z.uuid(), name: z.string(), quantity: z.number().int(), redeemed: z.boolean() });

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
  previous: z.object({ at: z.string(), device: z.string().nullable() }).optional(),
});
export type ScanResult = z.infer<typeof scanResultSchema>;

export const redeemAddOnInput = z.object({ ticketId: z.uuid(), addOnId: z.uuid(), nonce: nonce.optional() });
export const redeemResultSchema = z.object({
  result: z.enum(['redeemed', 'already_redeemed']),
  addOn: z.object({ id: z.uuid(), name: z.string(), quantity: z.number().int() }),
  redeemedAt: z.string(),
});
export type RedeemResult = z.infer<typeof redeemResultSchema>;

export const undoInput = z.object({ ticketId: z.uuid() });
export const undoResultSchema = z.object({ ticketId: z.uuid(), checkedInAt: z.string(), undoneAt: z.string() });

export const eventIdInput = z.object({ eventId: z.uuid() });
export const statsSchema = z.object({
  checkedIn: z.number().int(),
  total: z.number().int(),
  byTicketType: z.array(z.object({ ticketTypeId: z.uuid(), name: z.string(), checkedIn: z.number().int(), total: z.number().int() })),
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

export const scannerInfoSchema = z.object({
  kind: z.enum(['device', 'user']),
  name: z.string(),
  /** Events this scanner may scan for: the device's own, or every event for staff. */
  events: z.array(z.object({ id: z.uuid(), name: z.string(), startsAt: z.string() })),
});
