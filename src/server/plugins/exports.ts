import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE, sessionUser } from '../../modules/auth/index.ts';
import { getEventInfo } from '../../modules/catalog/index.ts';
import { checkinExportRows } from '../../modules/checkin/index.ts';
import { attendeeExportRows, orderExportRows } from '../../modules/orders/index.ts';
import type { CallLimits } from '../../shared/call-limits.ts';
import { isAppError } from '../../shared/errors.ts';
import { roleMay } from '../../trpc/index.ts';
import type { AppDeps } from '../context.ts';

const EXPORTS = { orders: orderExportRows, attendees: attendeeExportRows, checkins: checkinExportRows } as const;
const params = z.object({ eventId: z.uuid(), kind: z.enum(['orders', 'attendees', 'checkins']) });

/** Exports running at once in this process: each holds a database connection while it streams. */
const MAX_CONCURRENT = 2;

/**
 * GET /admin/events/:eventId/export/{orders,attendees,checkins}.csv for a signed-in admin or viewer (the
 * session cookie; no token is ever accepted in the URL). The rows stream from the database in keyset
 * batches through csv-stringify, so memory stays flat however large the event; each user may start
 * RATE_LIMIT_EXPORTS_PER_MINUTE exports a minute, and a process runs at most two at once.
 */
export function registerExports(app: FastifyInstance, deps: AppDeps, limits: CallLimits) {
  let running = 0;
  app.get('/admin/events/:eventId/export/:file', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const file = String((req.params as { file?: string }).file ?? '');
    const parsed = params.safeParse({ eventId: (req.params as { eventId?: string }).eventId, kind: file.replace(/\.csv$/, '') });
    if (!parsed.success || !file.endsWith('.csv')) return reply.code(404).send({ error: 'No such export' });
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await sessionUser(deps.db, token, deps.clock(), deps.config) : null;
    if (!user) return reply.code(401).send({ error: 'Sign in first' });
    if (!roleMay('read', user.role)) return reply.code(403).send({ error: 'Organizers only' });
    try {
      await limits.take('exports', `user:${user.id}`);
      await getEventInfo(deps.db, parsed.data.eventId);
    } catch (err) {
      if (isAppError(err) && err.code === 'RATE_LIMITED') return reply.code(429).header('retry-after', String(err.details?.retryAfterSeconds ?? 60)).send({ error: err.message });
      if (isAppError(err) && err.code === 'NOT_FOUND') return reply.code(404).send({ error: 'No such event' });
      throw err;
    }
    // Checked and counted with no await between: two requests can't both take the last slot.
    if (running >= MAX_CONCURRENT) return reply.code(429).header('retry-after', '5').send({ error: 'Other exports are running; try again in a few seconds' });
    running++;
    // csv-stringify writes the byte order mark Excel needs to read the file as UTF-8.
    const csv = stringify({ bom: true });
    // pipeline: a client that goes away stops the database reads too.
    pipeline(Readable.from(EXPORTS[parsed.data.kind](deps.db, parsed.data.eventId)), csv, (err) => {
      running--;
      // Headers went out with the first row, so a failure can only cut the file short: the log says so.
      if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log.error({ err }, 'export failed');
    });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${parsed.data.kind}-${parsed.data.eventId}.csv"`)
      .send(csv);
  });
}
