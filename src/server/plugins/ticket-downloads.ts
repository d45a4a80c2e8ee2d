import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getOrderForPasses } from '../../modules/orders/index.ts';
import { download, type DownloadTarget } from '../../modules/passes/index.ts';
import type { CallLimits } from '../../shared/call-limits.ts';
import { appErrorCodes, isAppError } from '../../shared/errors.ts';
import type { Availability } from '../availability.ts';
import type { AppDeps } from '../context.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const STATUS = { NOT_FOUND: 404, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 } as Record<string, number>;

const MAX_REFUSALS = 10_000;

type Params = { orderId: string; ticketId?: string };
type Query = { expires?: string; signature?: string };

/**
 * The order page's downloads: tickets PDF, calendar entry, Apple Wallet pass. Each URL is a short-lived
 * signed link that `orders.get` hands out (modules/passes/links.ts); the order token is never in it.
 * Every request takes a point of the per-address `ticketDownloads` limit before anything is read or
 * rendered (an address that spent it is then refused from memory), and rendered PDFs are cached per
 * order and ticket secrets, so one client can't make the server render over and over. Answers are private and not stored (they hold ticket secrets).
 */
export function registerTicketDownloads(app: FastifyInstance, opts: { deps: AppDeps; limits: CallLimits; availability: Availability }) {
  const { deps, limits } = opts;
  // An address that spent its limit is answered from here until it may try again: a flood costs a map lookup.
  const refused = new Map<string, number>();
  const refuse = (reply: FastifyReply, until: number) =>
    reply.code(429).header('retry-after', String(Math.max(1, Math.ceil((until - Date.now()) / 1000)))).send({ error: 'Too many ticket downloads from your network' });

  const serve = (targetOf: (p: Params) => DownloadTarget) => async (req: FastifyRequest<{ Params: Params; Querystring: Query }>, reply: FastifyReply) => {
    reply.header('cache-control', 'private, no-store');
    if (!opts.availability.ready) return reply.code(503).send({ error: 'Starting; try again shortly' });
    const until = refused.get(req.ip);
    if (until !== undefined && until > Date.now()) return refuse(reply, until);
    try {
      await limits.take('ticketDownloads', req.ip);
      const { orderId } = req.params;
      const file = await download(deps, (id) => getOrderForPasses(deps.db, id), {
        orderId,
        target: targetOf(req.params),
        expires: String(req.query.expires ?? ''),
        signature: String(req.query.signature ?? ''),
      });
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    } catch (err) {
      if (!isAppError(err)) {
        req.log.error({ err }, 'ticket download failed');
        return reply.code(500).send({ error: 'Internal server error' });
      }
      const status = STATUS[appErrorCodes[err.code]] ?? 400;
      if (status === 503) reply.header('retry-after', String(err.details?.retryAfterSeconds ?? 30));
      if (status === 429) {
        if (refused.size >= MAX_REFUSALS) refused.delete(refused.keys().next().value!);
        const retryAfterSeconds = Number(err.details?.retryAfterSeconds) || 60;
        refused.set(req.ip, Date.now() + retryAfterSeconds * 1000);
        reply.header('retry-after', String(retryAfterSeconds));
      }
      return reply.code(status).send({ error: err.message });
    }
  };
  const ids = { orderId: `^${UUID}$`, ticketId: `^${UUID}$` };
  const params = (names: (keyof typeof ids)[]) => ({
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, { type: 'string', pattern: ids[n] }])),
    required: names,
  });
  const querystring = { type: 'object', properties: { expires: { type: 'string', maxLength: 12 }, signature: { type: 'string', maxLength: 64 } } };
  app.get('/orders/:orderId/tickets.pdf', { schema: { params: params(['orderId']), querystring } }, serve(() => ({ kind: 'pdf' })));
  app.get('/orders/:orderId/event.ics', { schema: { params: params(['orderId']), querystring } }, serve(() => ({ kind: 'ics' })));
  app.get(
    '/orders/:orderId/tickets/:ticketId/pass.pkpass',
    { schema: { params: params(['orderId', 'ticketId']), querystring } },
    serve((p) => ({ kind: 'pkpass', ticketId: p.ticketId! })),
  );
}
