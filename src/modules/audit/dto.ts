import { z } from 'zod';

/** What the trpc layer records after an organizer's mutation succeeds. */
export type AuditRecord = {
  actor: { id: string; email: string };
  /** The procedure, e.g. "admin.refundOrder". */
  action: string;
  input: unknown;
  output: unknown;
};

export const auditLogInput = z.object({ eventId: z.uuid().optional(), orderId: z.uuid().optional(), cursor: z.string().max(200).optional() });
export type AuditLogInput = z.infer<typeof auditLogInput>;

export const auditEntrySchema = z.object({
  id: z.uuid(),
  at: z.string(),
  actorEmail: z.string(),
  action: z.string(),
  eventId: z.string().nullable(),
  orderId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const auditLogOutput = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditLogPage = z.infer<typeof auditLogOutput>;
