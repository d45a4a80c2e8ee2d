import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyRequestHandler, type CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type AnyProcedure,
  type AnyRouter,
} from '@trpc/server/unstable-core-do-not-import';
import { TRPCError } from '@trpc/server';
import { AppError } from '../shared/errors.ts';

export type TrpcOnError = (opts: { error: TRPCError; path: string | undefined; req: FastifyRequest }) => void;

/** Answers a request before tRPC runs (CSRF, rate limits): a TRPCError to send, or nothing to go on. */
export type TrpcGuard = (req: FastifyRequest, paths: string[]) => Promise<TRPCError | undefined> | TRPCError | undefined;

export type TrpcHttpOptions = {
  router: AnyRouter;
  createContext: (opts: CreateFastifyContextOptions) => unknown;
  onError?: TrpcOnError;
  guards?: TrpcGuard[];
  /** Observes every answered call: the procedure (or 'batch' / 'unknown') and the HTTP status. */
  onResponse?: (label: string, statusCode: number, seconds: number) => void;
  /** Most calls in one batch request; more is refused before any call runs. */
  maxBatchSize: number;
  /** Off only to compare with (or fall back to) the stock adapter. */
  fastPath?: boolean;
  /** The route's log level ('warn' drops Fastify's per-request info lines). */
  logLevel?: 'warn';
};

type Call = { path: string; procedure: AnyProcedure; isBatch: boolean; input: unknown };

const HEADERS = { 'content-type': 'application/json', vary: 'trpc-accept, accept' };
// Queries may also come by POST (tRPC's method override): calls carrying an order token do, to keep it out of URLs.
const ACCEPTED_METHODS = { query: ['GET', 'POST'], mutation: ['POST'], subscription: [] } as const;

/**
 * tRPC over Fastify at `prefix`. A single call (plain, or a batch of one as httpBatchLink sends it) with
 * a JSON input is answered here by calling the procedure directly; everything else goes through the stock
 * adapter (`fastifyRequestHandler`). The stock adapter turns each request into a WHATWG Request and back
 * out of a Response, which costs most of its time on small calls (see docs/performance.md). The
 * fast path keeps tRPC's own pieces — the procedure with its middlewares and validators, getErrorShape
 * with our errorFormatter, the status mapping — so answers are byte-for-byte the adapter's
 * (src/server/trpc-http.test.ts compares them).
 */
export async function registerTrpcHttp(app: FastifyInstance, prefix: string, opts: TrpcHttpOptions) {
  const procedures = opts.router._def.procedures as Record<string, AnyProcedure>;
  const config = opts.router._def._config;

  await app.register(async (scope) => {
    // As the stock plugin does: tRPC reads the raw JSON text itself.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', {}, (_req, body, done) => done(null, body));

    // Answers may carry order details, tickets and tokens: no browser or proxy keeps them.
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    if (opts.onResponse) {
      const observe = opts.onResponse;
      scope.addHook('onResponse', async (req, reply) => {
        observe(metricLabel(procedures, (req.params as { path?: string }).path), reply.statusCode, reply.elapsedTime / 1000);
      });
    }

    scope.all(`${prefix}/:path`, { logLevel: opts.logLevel }, async (req, reply) => {
      const rawPath = (req.params as { path: string }).path;
      const query = req.query as Record<string, string | undefined>;
      const isBatch = query.batch === '1';
      const paths = isBatch ? rawPath.split(',') : [rawPath];
      if (paths.length > opts.maxBatchSize) {
        const message = `A batch may hold at most ${opts.maxBatchSize} calls`;
        const error = new TRPCError({ code: 'BAD_REQUEST', message, cause: new AppError('VALIDATION', message) });
        return sendErrors(reply, error, paths.slice(0, 1), isBatch, procedures, config, req, opts.onError);
      }
      for (const guard of opts.guards ?? []) {
        const rejection = await guard(req, paths);
        if (rejection) return sendErrors(reply, rejection, paths, isBatch, procedures, config, req, opts.onError);
      }
      const call = opts.fastPath === false ? undefined : singleCall(req, rawPath, isBatch, procedures);
      if (!call) {
        return fastifyRequestHandler({
          router: opts.router,
          createContext: opts.createContext,
          onError: opts.onError,
          allowMethodOverride: true,
          maxBatchSize: opts.maxBatchSize,
          req,
          res: reply,
          path: rawPath,
        } as never);
      }
      return callProcedure(req, reply, call, opts, config);
    });
  });
}

/** The call when this request is one procedure with a JSON input the fast path can take; else undefined. */
function singleCall(req: FastifyRequest, rawPath: string, isBatch: boolean, procedures: Record<string, AnyProcedure>): Call | undefined {
  if (rawPath.includes(',') || rawPath.includes('%')) return undefined;
  const procedure = procedures[rawPath];
  const methods: readonly string[] = ACCEPTED_METHODS[procedure?._def.type as keyof typeof ACCEPTED_METHODS] ?? [];
  if (!procedure || !methods.includes(req.method)) return undefined;
  const accept = req.headers['trpc-accept'] ?? req.headers.accept;
  if (typeof accept === 'string' && accept.includes('application/jsonl')) return undefined;
  let text: string | undefined;
  if (req.method === 'GET') {
    text = (req.query as Record<string, string | undefined>).input || undefined;
  } else {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json') || typeof req.body !== 'string' || req.body === '') {
      return undefined;
    }
    text = req.body;
  }
  let input: unknown;
  try {
    input = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined; // the adapter words the parse error
  }
  if (isBatch) {
    if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) return undefined;
    input = input === undefined ? undefined : (input as Record<string, unknown>)['0'];
  }
  return { path: rawPath, procedure, isBatch, input };
}

async function callProcedure(req: FastifyRequest, reply: FastifyReply, call: Call, opts: TrpcHttpOptions, config: AnyRouter['_def']['_config']) {
  const type = call.procedure._def.type;
  let ctx: unknown;
  try {
    ctx = await opts.createContext({ req, res: reply, info: undefined } as unknown as CreateFastifyContextOptions);
    const data = await call.procedure({ path: call.path, getRawInput: async () => call.input, ctx, type, signal: undefined, batchIndex: 0 });
    const body = { result: { data } };
    return reply.code(200).headers(HEADERS).send(Buffer.from(JSON.stringify(transformTRPCResponse(config, call.isBatch ? [body] : body))));
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    opts.onError?.({ error, path: call.path, req });
    const body = { error: getErrorShape({ config, error, type, path: call.path, input: call.input, ctx }) };
    const status = getHTTPStatusCode(body as never);
    return reply.code(status).headers(HEADERS).send(Buffer.from(JSON.stringify(transformTRPCResponse(config, call.isBatch ? [body] : body))));
  }
}

/** One error for every call of the request, shaped as tRPC shapes it (the client reads it the same way). */
function sendErrors(
  reply: FastifyReply,
  error: TRPCError,
  paths: string[],
  isBatch: boolean,
  procedures: Record<string, AnyProcedure>,
  config: AnyRouter['_def']['_config'],
  req: FastifyRequest,
  onError?: TrpcOnError,
) {
  const bodies = paths.map((path) => {
    onError?.({ error, path, req });
    const type = procedures[path]?._def.type ?? 'unknown';
    return { error: getErrorShape({ config, error, type, path, input: undefined, ctx: undefined }) };
  });
  const status = getHTTPStatusCode(bodies as never);
  return reply.code(status).headers(HEADERS).send(Buffer.from(JSON.stringify(transformTRPCResponse(config, isBatch ? bodies : bodies[0]!))));
}

/** A bounded label for metrics: a known procedure's name, 'batch' for several, 'unknown' for anything else. */
function metricLabel(procedures: Record<string, AnyProcedure>, rawPath: string | undefined): string {
  if (!rawPath) return 'unknown';
  if (rawPath.includes(',')) return 'batch';
  return procedures[rawPath] ? rawPath : 'unknown';
}
