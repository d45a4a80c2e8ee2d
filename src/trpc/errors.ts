import type { TRPCDefaultErrorShape as DefaultErrorShape, TRPCError, TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { isAppError, type AppErrorCode } from '../shared/errors.ts';

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
 * The appCode of a refusal that tRPC (or our HTTP layer) raised itself, with no AppError behind it: the
 * client reads every 4xx by its appCode. tRPC's own BAD_REQUESTs are about the request, not the input
 * (zod's field errors are VALIDATION, below); any other 4xx is refused as sent.
 */
const appCodeOfTrpcCode: Partial<Record<TRPC_ERROR_CODE_KEY, AppErrorCode>> = {
  PARSE_ERROR: 'MALFORMED_REQUEST',
  BAD_REQUEST: 'MALFORMED_REQUEST',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
};

function appCodeOf(error: TRPCError, httpStatus: number, fieldErrors: unknown): AppErrorCode | undefined {
  if (isAppError(error.cause)) return error.cause.code;
  if (fieldErrors) return 'VALIDATION';
  return appCodeOfTrpcCode[error.code] ?? (httpStatus < 500 ? 'MALFORMED_REQUEST' : undefined);
}

/** The message the client shows: never a 5xx's internals (the server log has them), nor a JSON parser's wording. */
function messageOf(error: TRPCError, shapeMessage: string, fieldErrors: unknown): string {
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'Internal server error';
  if (fieldErrors && !isAppError(error.cause)) return 'Invalid input';
  // tRPC reads a body lazily and passes JSON.parse's failure on as the message ("Expected property name…").
  if (error.code === 'BAD_REQUEST' && error.cause instanceof SyntaxError) return 'The request body is not valid JSON';
  return shapeMessage;
}

/**
 * Every error's JSON shape: a 5xx without internals, field errors for forms, our AppError code (on every
 * 4xx). Exported so that answers given outside tRPC's own HTTP handler (the HTTP guards, the scan route,
 * refusals of unreadable bodies) are shaped alike.
 */
export function errorFormatter({ shape, error }: { shape: DefaultErrorShape; error: TRPCError }) {
  const cause = error.cause;
  const fieldErrors =
    isAppError(cause) && typeof cause.details?.field === 'string'
      ? { [cause.details.field]: [cause.message] }
      : error.code === 'BAD_REQUEST'
        ? fieldErrorsOf(cause)
        : undefined;
  return {
    ...shape,
    message: messageOf(error, shape.message, fieldErrors),
    data: {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      appCode: appCodeOf(error, shape.data.httpStatus, fieldErrors),
      details: isAppError(cause) ? cause.details : undefined,
      fieldErrors,
    },
  };
}
