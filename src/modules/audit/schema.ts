import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** AuditEntry: one organizer action — who, when, what (procedure and input without secrets), about which event/order. */
export const auditLog = pgTable('audit_log', {
  id: uuid('id').primaryKey(),
  at: ts('at').notNull(),
  actorId: uuid('actor_id').notNull(),
  actorEmail: text('actor_email').notNull(),
  action: text('action').notNull(),
  eventId: uuid('event_id'),
  orderId: uuid('order_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
});
