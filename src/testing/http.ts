import { CSRF_HEADER } from '../shared/csrf.ts';
import type { FastifyInstance } from 'fastify';

/** A tRPC HTTP answer: status and parsed JSON body (null when the body is not JSON). */
export type TrpcReply = { status: number; body: TrpcBody; setCookie: string[] };
// The wire shape of our errorFormatter's output; `result.data` on success.
export type TrpcBody = {
  result?: { data: unknown };
  error?: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      appCode?: string;
      details?: Record<string, unknown>;
      fieldErrors?: Record<string, string[]>;
    };
  };
} | null;

const parse = (text: string): TrpcBody => {
  try {
    return JSON.parse(text) as TrpcBody;
  } catch {
    return null;
  }
};

/** A non-batch tRPC call by POST (a mutation, or a query carrying a token) against a running server, as our client sends it. */
export async function postTrpc(baseUrl: string, procedure: string, input: unknown): Promise<TrpcReply> {
  const res = await fetch(`${baseUrl}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: parse(await res.text()), setCookie: res.headers.getSetCookie() };
}

type InjectOptions = {
  cookie?: string;
  /** Sent as-is instead of JSON.stringify(input): malformed bodies. */
  rawBody?: string;
  /** More request headers (e.g. a load-test key). */
  headers?: Record<string, string>;
  /** The client's address (per-address limits), default 127.0.0.1. */
  remoteAddress?: string;
};

/**
 * A tRPC call through app.inject: queries as GET ?input=, mutations as POST with a JSON body. Queries that
 * carry an order token go as 'mutation' (POST), as our client sends them.
 */
export async function injectTrpc(
  app: FastifyInstance,
  kind: 'query' | 'mutation',
  procedure: string,
  input?: unknown,
  opts: InjectOptions = {},
): Promise<TrpcReply & { cookies: { name: string; value: string; [k: string]: unknown }[] }> {
  const headers: Record<string, string> = { ...opts.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) };
  const remoteAddress = opts.remoteAddress;
  const res =
    kind === 'query'
      ? await app.inject({
          method: 'GET',
          url: `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          headers,
          remoteAddress,
        })
      : await app.inject({
          method: 'POST',
          url: `/trpc/${procedure}`,
          remoteAddress,
          // As our SPA sends it: cookie-authenticated mutations need the CSRF header (see server/plugins/csrf.ts).
          headers: { ...headers, 'content-type': 'application/json', [CSRF_HEADER]: '1' },
          payload: opts.rawBody ?? JSON.stringify(input ?? null),
        });
  const setCookie = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    body: parse(res.body),
    setCookie: setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
    cookies: res.cookies as { name: string; value: string }[],
  };
}
