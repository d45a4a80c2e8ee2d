import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { AppError, appErrorCodes } from '../shared/errors.ts';
import { errorFormatter } from '../trpc/index.ts';

/*
 * Answers given outside tRPC's own request handler (the HTTP guards, the scan route) in tRPC's wire
 * format, built from tRPC's public pieces and our errorFormatter, so the client reads them as it reads
 * tRPC's own (src/server/trpc-http.test.ts compares them with the stock plugin's answers).
 */

export type TrpcOnError = (opts: { error: TRPCError; path: string | undefined; req: FastifyRequest }) => void;

/** Answers a request before tRPC runs (CSRF, rate limits): a TRPCError to send, or nothing to go on. */
export type TrpcGuard = (req: FastifyRequest, paths: string[]) => Promise<TRPCError | undefined> | TRPCError | undefined;

/** As tRPC's HTTP handler labels its JSON answers. */
export const TRPC_JSON_HEADERS = { 'content-type': 'application/json', vary: 'trpc-accept, accept' };

/** The procedures a request to `<prefix>/:path` names (a batch lists several, comma-separated). */
export function callsOf(req: FastifyRequest): { paths: string[]; isBatch: boolean } {
  // The stock plugin's route has the names as a parameter; a direct route's URL ends with its one name.
  const path = (req.params as { path?: string }).path ?? req.routeOptions.url?.split('/').pop() ?? '';
  const isBatch = (req.query as Record<string, unknown>).batch === '1';
  return { paths: isBatch ? path.split(',') : [path], isBatch };
}

/** One call's error as tRPC shapes it: its default shape, then our errorFormatter. */
export function errorBody(error: TRPCError, path: string | undefined) {
  const shape = {
    message: error.message,
    code: TRPC_ERROR_CODES_BY_KEY[error.code],
    data: { code: error.code, httpStatus: getHTTPStatusCodeFromError(error), ...(path !== undefined ? { path } : {}) },
  };
  return { error: errorFormatter({ shape, error }) };
}

/** Sends `body` (one call's) as tRPC would: a one-element array for a batch. */
export function sendTrpc(reply: FastifyReply, status: number, body: unknown, isBatch: boolean) {
  return reply.code(status).headers(TRPC_JSON_HEADERS).send(Buffer.from(JSON.stringify(isBatch ? [body] : body)));
}

/** Refuses every call of a request with one error (each call reported to onError, as tRPC does). */
export function sendTrpcRefusal(reply: FastifyReply, error: TRPCError, paths: string[], isBatch: boolean, onError?: TrpcOnError) {
  const bodies = paths.map((path) => {
    onError?.({ error, path, req: reply.request });
    return errorBody(error, path);
  });
  const status = getHTTPStatusCodeFromError(error);
  return reply.code(status).headers(TRPC_JSON_HEADERS).send(Buffer.from(JSON.stringify(isBatch ? bodies : bodies[0])));
}

/** Fastify's refusal of a request body (before any handler ran) as one of our codes, or undefined. */
function appErrorOfHttpRefusal(err: FastifyError): AppError | undefined {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
  // Another 4xx of the body's framing (a wrong Content-Length, a body on a GET): the request as sent.
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return new AppError('MALFORMED_REQUEST', err.message);
  return undefined;
}

/**
 * Fastify's refusal of a request body (its size limit, a content type no parser takes) as the TRPCError
 * to answer with; undefined for any other error (not ours to word: Fastify's own handler answers it).
 */
export function trpcErrorOfHttpRefusal(err: FastifyError): TRPCError | undefined {
  const refusal = appErrorOfHttpRefusal(err);
  return refusal && new TRPCError({ code: appErrorCodes[refusal.code], message: refusal.message, cause: refusal });
}
