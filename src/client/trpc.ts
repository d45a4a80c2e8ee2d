import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import { httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../server/router.ts';
import { CSRF_HEADER } from '../shared/csrf.ts';

export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();

export const createTrpcClient = () =>
  trpc.createClient({ links: [httpBatchLink({ url: '/trpc', maxURLLength: 4000, headers: { [CSRF_HEADER]: '1' } })] });

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
