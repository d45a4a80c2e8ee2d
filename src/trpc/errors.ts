import type { TRPCDefaultErrorShape as DefaultErrorShape, TRPCError } from '@trpc/server';
import { isAppError } from '../shared/errors.ts';

type Issue = { path: PropertyKey[]; message: string };

/** zod issues as { "customer.email": ["Invalid email"] }, for forms to show next to their fields. */
function fieldErrorsOf(cause: unknown): Record<string, string[]> | undefined {
  if (!cause || typeof cause !== 'object' || !Array.isArray((cause as { issues?: unknown }).issues)) return undefined;
  const out: Record<string, string[]> = {};
  for (const issue of (cause as { issues: Issue[] }).issues) {
    const key = issue.path.map(String).join('.') || '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Every error's JSON shape: a 5xx without internals, field errors for forms, our AppError code. Exported
 * so that answers given outside tRPC's own HTTP handler (the HTTP guards, the scan route) are shaped alike.
 */
export function errorFormatter({ shape, error }: { shape: DefaultErrorShape; error: TRPCError }) {
    const cause = error.cause;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const fieldErrors =
      isAppError(cause) && typeof cause.details?.field === 'string'
        ? { [cause.details.field]: [cause.message] }
        : error.code === 'BAD_REQUEST'
          ? fieldErrorsOf(cause)
          : undefined;
    return {
      ...shape,
      // A 5xx never shows internals; the server log has them.
      message: internal ? 'Internal server error' : fieldErrors && !isAppError(cause) ? 'Invalid input' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: isAppError(cause) ? cause.code : fieldErrors ? 'VALIDATION' : undefined,
        details: isAppError(cause) ? cause.details : undefined,
        fieldErrors,
      },
    };
}
