import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getTRPCErrorFromUnknown, TRPCError, type AnyTRPCRouter } from '@trpc/server';
import {
  fastifyRequestHandler,
  fastifyTRPCPlugin,
  type CreateFastifyContextOptions,
  type FastifyTRPCPluginOptions,
} from '@trpc/server/adapters/fastify';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { AppError } from '../../shared/errors.ts';
import { knownProcedures } from '../../trpc/metrics.ts';
import { callsOf, errorBody, sendTrpc, sendTrpcRefusal, trpcErrorOfHttpRefusal, type TrpcGuard, type TrpcOnError } from '../trpc-reply.ts';

type StockOptions = FastifyTRPCPluginOptions<AnyTRPCRouter>['trpcOptions'];

/** One procedure answered by a plain Fastify route (see TrpcOptions' `directRoute`). */
export type DirectRoute<Ctx> = { path: string; call: (ctx: Ctx, input: unknown) => Promise<unknown> };

export type TrpcOptions<Ctx> = {
  prefix: string;
  router: AnyTRPCRouter;
  createContext: (opts: Pick<CreateFastifyContextOptions, 'req' | 'res'>) => Ctx;
  onError?: TrpcOnError;
  /** Run in order before tRPC, on every route that serves procedures; the first refusal is the answer. */
  guards?: TrpcGuard[];
  /** Most calls in one batch request; more is refused whole before any call runs. */
  maxBatchSize: number;
  /** Observes every answered request: the procedure (or 'batch' / 'unknown'), the HTTP status, seconds. */
  onResponse?: (label: string, statusCode: number, seconds: number) => void;
  /** The routes' log level ('warn' drops Fastify's per-request info lines). */
  logLevel?: 'warn';
  /** The hot procedure served by its own route through createCaller (docs/performance.md says why). */
  directRoute?: DirectRoute<Ctx>;
};

/**
 * tRPC at `prefix` through the stock Fastify plugin, behind our own hooks: the batch cap, the guards
 * (availability, cached refusals, CSRF) and `Cache-Control: no-store` apply to every route in this
 * scope — the plugin's and the direct route — because Fastify runs a scope's hooks for all its routes.
 */
export async function registerTrpc<Ctx>(app: FastifyInstance, opts: TrpcOptions<Ctx>) {
  const trpcOptions: StockOptions = {
    router: opts.router,
    createContext: opts.createContext,
    onError: opts.onError,
    maxBatchSize: opts.maxBatchSize,
    // Queries may come by POST: calls carrying an order token do, to keep it out of URLs.
    allowMethodOverride: true,
  };
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (req, reply) => {
        const refusal = await refusalOf(req, opts);
        if (refusal) return sendTrpcRefusal(reply, refusal.error, refusal.paths, refusal.isBatch, opts.onError);
      });
      // A body Fastify refused before tRPC ran (too large, a content type no parser takes): in our shape too.
      scope.setErrorHandler<FastifyError>(async (err, req, reply) => {
        const error = trpcErrorOfHttpRefusal(err);
        if (!error) throw err;
        const { paths, isBatch } = callsOf(req);
        return sendTrpcRefusal(reply, error, paths, isBatch, opts.onError);
      });
      // Answers may carry order details, tickets and tokens: no browser or proxy keeps them.
      scope.addHook('onSend', async (_req, reply, payload) => {
        reply.header('cache-control', 'no-store');
        // tRPC's refusals of a request it cannot start on (no or another content type, a mixed batch) are
        // JSON like all its answers, but its Response leaves the content type to the default, text/plain.
        if (payload instanceof Response && payload.status >= 400 && payload.headers.get('content-type')?.startsWith('text/plain')) {
          payload.headers.set('content-type', 'application/json');
        }
        return payload;
      });
      if (opts.onResponse) {
        const observe = opts.onResponse;
        scope.addHook('onResponse', async (req, reply) => observe(metricLabel(req), reply.statusCode, reply.elapsedTime / 1000));
      }
      await scope.register(fastifyTRPCPlugin, { prefix: opts.prefix, trpcOptions });
      if (opts.directRoute) await scope.register(directRoutePlugin(opts, opts.directRoute, trpcOptions));
    },
    { logLevel: opts.logLevel },
  );
}

async function refusalOf<Ctx>(req: FastifyRequest, opts: TrpcOptions<Ctx>) {
  const { paths, isBatch } = callsOf(req);
  if (paths.length > opts.maxBatchSize) {
    const message = `A batch may hold at most ${opts.maxBatchSize} calls`;
    const error = new TRPCError({ code: 'BAD_REQUEST', message, cause: new AppError('VALIDATION', message) });
    return { error, paths: paths.slice(0, 1), isBatch };
  }
  for (const guard of opts.guards ?? []) {
    const error = await guard(req, paths);
    if (error) return { error, paths, isBatch };
  }
  return undefined;
}

/** A bounded label for metrics: a procedure that has run, 'batch' for several, 'unknown' for anything else. */
function metricLabel(req: FastifyRequest): string {
  const { paths } = callsOf(req);
  if (paths.length > 1) return 'batch';
  return knownProcedures.has(paths[0]!) ? paths[0]! : 'unknown';
}

/**
 * `POST <prefix>/<path>`: the same procedure through createCaller with the same context, without the
 * stock handler's WHATWG Request/Response round trip. It takes the shape the scanner sends (one call,
 * JSON body, plain or as a batch of one); any other request (another content type, unparsable JSON,
 * streaming) goes to the stock handler, which words it as for every other procedure.
 */
function directRoutePlugin<Ctx>(opts: TrpcOptions<Ctx>, route: DirectRoute<Ctx>, trpcOptions: StockOptions) {
  const url = `${opts.prefix}/${route.path}`;
  return async (scope: FastifyInstance) => {
    // As the stock plugin does: the raw text, for tRPC (or us) to parse.
    scope.removeContentTypeParser(['application/json', 'multipart/form-data']);
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.addContentTypeParser('multipart/form-data', {}, (_req, body, done) => done(null, body));
    scope.post(url, async (req, reply) => {
      const call = jsonCallOf(req);
      if (!call) return fastifyRequestHandler({ ...trpcOptions, req, res: reply, path: route.path });
      return answer(req, reply, call, opts, route);
    });
  };
}

async function answer<Ctx>(
  req: FastifyRequest,
  reply: FastifyReply,
  call: { input: unknown; isBatch: boolean },
  opts: TrpcOptions<Ctx>,
  route: DirectRoute<Ctx>,
) {
  try {
    const ctx = await opts.createContext({ req, res: reply });
    const data = await route.call(ctx, call.input);
    return sendTrpc(reply, 200, { result: { data } }, call.isBatch);
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    opts.onError?.({ error, path: route.path, req });
    return sendTrpc(reply, getHTTPStatusCodeFromError(error), errorBody(error, route.path), call.isBatch);
  }
}

/** The input of a one-call JSON request, or undefined for anything the stock handler should take. */
function jsonCallOf(req: FastifyRequest): { input: unknown; isBatch: boolean } | undefined {
  const accept = req.headers['trpc-accept'] ?? req.headers.accept;
  if (typeof accept === 'string' && accept.includes('application/jsonl')) return undefined;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  if (typeof req.body !== 'string' || req.body === '') return undefined;
  const isBatch = (req.query as Record<string, unknown>).batch === '1';
  let input: unknown;
  try {
    input = JSON.parse(req.body);
  } catch {
    return undefined;
  }
  if (!isBatch) return { input, isBatch };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  return { input: (input as Record<string, unknown>)['0'], isBatch };
}
