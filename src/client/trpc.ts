import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../server/router.ts';
import { MAX_BATCH_SIZE } from '../shared/batching.ts';
import { CSRF_HEADER } from '../shared/csrf.ts';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();

/** Queries whose input carries an order token: sent by POST, since URLs end up in logs (the server refuses GET). */
const TOKEN_QUERIES = new Set(['orders.get']);

const headers = { [CSRF_HEADER]: '1' };

export const createTrpcClient = () =>
  trpc.createClient({
    links: [
      // Subscriptions (the live control room) over Server-Sent Events; the session cookie goes along.
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: '/trpc' }),
        false: splitLink({
          condition: (op) => TOKEN_QUERIES.has(op.path),
          true: httpLink({ url: '/trpc', methodOverride: 'POST', headers }),
          false: httpBatchLink({ url: '/trpc', maxURLLength: 4000, maxItems: MAX_BATCH_SIZE, headers }),
        }),
      }),
    ],
  });

/** The server's error data (see server/trpc.ts errorFormatter), typed for forms. */
export type ApiErrorData = {
  appCode?: string;
  details?: Record<string, unknown>;
  fieldErrors?: Record<string, string[]>;
  httpStatus?: number;
};

export function apiError(err: unknown): { message: string; data: ApiErrorData } | null {
  if (!err) return null;
  if (err instanceof TRPCClientError) return { message: err.message, data: (err.data ?? {}) as ApiErrorData };
  return { message: err instanceof Error ? err.message : String(err), data: {} };
}

/** The server's messages for some field keys ("customer.email", "lines.0.addOns.1.quantity"), if any. */
export const fieldErrorsOf =
  (err: unknown) =>
  (...keys: string[]): string[] | undefined => {
    const all = apiError(err)?.data.fieldErrors;
    const found = keys.flatMap((k) => all?.[k] ?? []);
    return found.length ? found : undefined;
  };

/** Client errors (4xx) will not change on a retry; network blips and 5xx may. */
export const isClientError = (err: unknown) => {
  const status = apiError(err)?.data.httpStatus;
  return status !== undefined && status >= 400 && status < 500;
};
