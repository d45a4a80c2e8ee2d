import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { cursorTime, decodeCursor, encodeCursor } from '../../shared/search.ts';
import type { AuditLogInput, AuditLogPage, AuditRecord } from './dto.ts';
import { auditLog } from './schema.ts';

const SECRET_KEY = /password|token|secret/i;
const PAGE = 50;
const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** The input as recorded: passwords, tokens and secrets replaced, long texts cut. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (typeof value === 'string') return value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]));
  }
  return value;
}

/** The event or order an action was about: named in its input, or (for creations) in its result. */
const idOf = (key: 'eventId' | 'orderId', ...sources: unknown[]) =>
  sources.map((s) => (s && typeof s === 'object' ? (s as Record<string, unknown>)[key] : undefined)).find(isUuid) ?? null;

/** One row per organizer action; called once per successful admin mutation. */
export async function record(db: Db, entry: AuditRecord, now: Date): Promise<void> {
  await db.insert(auditLog).values({
    id: newId(),
    at: now,
    actorId: entry.actor.id,
    actorEmail: entry.actor.email,
    action: entry.action,
    eventId: idOf('eventId', entry.input, entry.output),
    orderId: idOf('orderId', entry.input, entry.output),
    details: { input: redact(entry.input) },
  });
}

/** The log newest first, 50 a page, for one event or order or all of it. */
export async function list(db: Db, input: AuditLogInput): Promise<AuditLogPage> {
  const after = decodeCursor(input.cursor, 2);
  if (input.cursor && !after) throw new AppError('VALIDATION', 'This page link is not valid; start again', { field: 'cursor' });
  const rows = await db
    .select({ row: auditLog, cursorAt: cursorTime(auditLog.at) })
    .from(auditLog)
    .where(
      and(
        input.eventId ? eq(auditLog.eventId, input.eventId) : undefined,
        input.orderId ? eq(auditLog.orderId, input.orderId) : undefined,
        after ? sql`(${auditLog.at}, ${auditLog.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(PAGE + 1);
  const page = rows.slice(0, PAGE);
  const last = page.at(-1);
  return {
    entries: page.map(({ row }) => ({
      id: row.id,
      at: row.at.toISOString(),
      actorEmail: row.actorEmail,
      action: row.action,
      eventId: row.eventId,
      orderId: row.orderId,
      details: row.details,
    })),
    nextCursor: rows.length > PAGE && last ? encodeCursor([last.cursorAt, last.row.id]) : null,
  };
}
