import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import { httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../server/router.ts';
import { MAX_BATCH_SIZE } from '../shared/batching.ts';
import { CSRF_HEADER } from '../shared/csrf.ts';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();

/**
 * Every call goes by POST, queries too (tRPC's method override): inputs — order and offer tokens,
 * voucher codes, search text — never end up in a URL, where proxies and logs would keep them, and no
 * list of "secret" procedures has to be kept in step with the server's. Nothing is lost: every /trpc
 * answer is no-store, so GET bought no caching.
 */
export const createTrpcClient = () =>
  trpc.createClient({
    links: [
      // Subscriptions (the live control room) over Server-Sent Events; the session cookie goes along.
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: '/trpc' }),
        false: httpBatchLink({ url: '/trpc', methodOverride: 'POST', maxItems: MAX_BATCH_SIZE, headers: { [CSRF_HEADER]: '1' } }),
      }),
    ],
  });

/** The server's error data (see src/trpc/errors.ts errorFormatter), typed for forms. */
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
