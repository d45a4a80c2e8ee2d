import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { isUnavailableSqlState } from './sqlstate.ts';

/** Every domain error code and the tRPC (HTTP) code it maps to: the one table. */
export const appErrorCodes = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  TOKEN_IN_URL: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  EMAIL_TAKEN: 'CONFLICT',
  CANNOT_DISABLE_SELF: 'CONFLICT',
  SOLD_OUT: 'CONFLICT',
  HOLD_LIMIT: 'TOO_MANY_REQUESTS',
  NOT_ON_SALE: 'PRECONDITION_FAILED',
  ORDER_EXPIRED: 'CONFLICT',
  ORDER_NOT_PAYABLE: 'CONFLICT',
  ORDER_NOT_PAID: 'CONFLICT',
  ORDER_NOT_REFUNDABLE: 'CONFLICT',
  PAYMENT_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Too much heavy work queued (e.g. rendering ticket PDFs): try again shortly. */
  BUSY: 'SERVICE_UNAVAILABLE',
  NOT_CHECKED_IN: 'CONFLICT',
  TICKET_VOID: 'CONFLICT',
  /** Every unit of a ticket's add-on was handed out already (two drink tokens bought, two redeemed). */
  NONE_LEFT: 'CONFLICT',
  /** The code is unknown, disabled, or not for this event or these tickets (which of these is not said). */
  VOUCHER_INVALID: 'BAD_REQUEST',
  VOUCHER_EXPIRED: 'BAD_REQUEST',
  VOUCHER_USED_UP: 'CONFLICT',
  /** A waiting-list offer ran out (or was taken): its seats went to the next person waiting. */
  OFFER_EXPIRED: 'CONFLICT',
  /** The scanner's device token is unknown or revoked: the scanner deletes its offline data. */
  DEVICE_REVOKED: 'UNAUTHORIZED',
  // Refusals of the request itself, before any procedure judged it (a client bug, not the user's input):
  /** Not readable as sent: a body that is not JSON, a truncated or malformed batch. */
  MALFORMED_REQUEST: 'BAD_REQUEST',
  /** A body in another content type than JSON. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** A body over the server's size limit. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A mutation sent by GET. */
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type AppErrorCode = keyof typeof appErrorCodes;

/** A failure the caller can act on. `details` is shown to the client, so keep it free of internals. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  /** `options.cause` keeps the underlying failure for the server log (never sent to the client). */
  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

// How node-postgres and the OS say the database is not there (as opposed to a query that is wrong).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// ('timeout expired' is a client's own connect timeout.) A pool this process ended on purpose is not among
// them: that is a bug, and stays a 500.
const UNREACHABLE_MESSAGE = /timeout exceeded when trying to connect|^timeout expired$|Connection terminated|Query read timeout|connection error/i;

/** True when `err` (or what it wraps: Drizzle wraps the driver's error) says the database could not be reached. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNREACHABLE_CODES.has(e.code) || isUnavailableSqlState(e.code))) return true;
  if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
