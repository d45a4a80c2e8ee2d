import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';
import { errorFormatter } from './errors.ts';
import { knownProcedures } from './metrics.ts';
import { noCallLimits, type CallLimits, type LimitName } from '../shared/call-limits.ts';
import { AppError, appErrorCodes, isAppError, isDatabaseUnavailable } from '../shared/errors.ts';
import type { Role } from '../modules/auth/index.ts';
import type { GateScanner, Scanner } from '../modules/checkin/index.ts';

export { errorFormatter } from './errors.ts';
export type { AppDeps, Context, CookieJar, ScannerDevice } from './context.ts';

// The only initTRPC: modules import the builders below, never initTRPC themselves.
// Middlewares hand next() only what they add to ctx: tRPC merges it into the context it already has
// (spreading the whole context here as well would copy it twice per middleware on every call).
const t = initTRPC.context<Context>().create({ errorFormatter });

/** A service's AppError as the tRPC error its code maps to. */
const trpcErrorOf = (cause: AppError) => new TRPCError({ code: appErrorCodes[cause.code], message: cause.message, cause });

/**
 * What a failed call's cause is answered as: a service's AppError as the tRPC error its code maps to, the
 * database being unreachable as a 503 the client may retry (its transaction, if any, rolled back whole);
 * undefined for anything else, which stays a 500.
 */
function mappedError(cause: unknown): TRPCError | undefined {
  if (isAppError(cause)) return trpcErrorOf(cause);
  if (!isDatabaseUnavailable(cause)) return undefined;
  const message = 'The database is not answering. Try again shortly.';
  return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message, cause: new AppError('DATABASE_UNAVAILABLE', message, undefined, { cause }) });
}

/** Where the first string holding a NUL character sits ("customer.name"), or null. Iterative: input may nest deep. */
function pathOfNul(input: unknown): string | null {
  const stack: [unknown, string][] = [[input, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string' && value.includes('\u0000')) return path || '_';
    if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return null;
}

/**
 * What every procedure does first, as one middleware (each middleware level costs tRPC two copies of
 * the call's options, on the gate's hot path too): remember the procedure (the HTTP layer's metrics
 * label a request by it, a bounded set); refuse NUL characters, which PostgreSQL text cannot hold,
 * instead of failing as a 500 at insert; then answer the services' errors as their codes say (mappedError).
 */
const everyCall = t.middleware(async ({ path, getRawInput, next }) => {
  knownProcedures.add(path);
  const field = pathOfNul(await getRawInput());
  if (field) throw trpcErrorOf(new AppError('VALIDATION', 'Text must not contain NUL characters', { field }));
  const result = await next();
  const mapped = result.ok ? undefined : mappedError(result.error.cause);
  if (mapped) throw mapped;
  return result;
});

/** Who may call: `signedIn` anyone with a session; `staff` admins and staff; `read` admins and viewers; `admin` admins. */
type Access = 'signedIn' | 'staff' | 'read' | 'admin';
const ALLOWED: Record<Access, Role[]> = {
  signedIn: ['admin', 'staff', 'viewer'],
  staff: ['admin', 'staff'],
  read: ['admin', 'viewer'],
  admin: ['admin'],
};
const REFUSAL: Record<Access, string> = {
  signedIn: 'Sign in first',
  staff: 'Staff and admins only',
  read: 'Organizers only',
  admin: 'Admins only: this account may look but not change anything',
};

/** Whether an account of `role` may do what `access` guards (for routes outside tRPC, such as the CSV exports). */
export const roleMay = (access: Access, role: Role) => ALLOWED[access].includes(role);

const requireRole = (access: Access) =>
  t.middleware(async ({ ctx, next }) => {
    const user = await ctx.getUser();
    if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
    if (!roleMay(access, user.role)) throw new TRPCError({ code: 'FORBIDDEN', message: REFUSAL[access] });
    return next({ ctx: { user } });
  });

/** A person scanning by session: staff or admin (a viewer looks; scanning admits people). */
async function scanningUser(ctx: Context) {
  const user = await ctx.getUser();
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or enrol this device first' });
  if (!ALLOWED.staff.includes(user.role)) throw new TRPCError({ code: 'FORBIDDEN', message: REFUSAL.staff });
  return user;
}

/**
 * Every organizer mutation that succeeds writes exactly one audit row: who, when, which procedure with
 * its input (secrets redacted), and the event/order it concerned. Written after the change committed:
 * a process dying in between loses the row, never the other way round.
 */
const auditMutations = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  const result = await next();
  if (type === 'mutation' && result.ok) {
    const user = (ctx as typeof ctx & { user: { id: string; email: string } }).user;
    await ctx.audit({ actor: { id: user.id, email: user.email }, action: path, input: await getRawInput(), output: result.data });
  }
  return result;
});

/** The device behind the request's Bearer token; unknown or revoked → DEVICE_REVOKED (401: wipe offline data). */
async function enrolledDevice(ctx: Context): Promise<Extract<Scanner, { kind: 'device' }>> {
  const device = await ctx.getDevice();
  if (!device) throw new AppError('DEVICE_REVOKED', 'This scanner device is unknown or was revoked');
  return { kind: 'device', deviceId: device.id, eventId: device.eventId, name: device.name };
}

/** Only an enrolled device (the offline snapshot is for them alone, never for a staff login). */
const requireDevice = t.middleware(async ({ ctx, next }) => {
  if (ctx.deviceToken === undefined) {
    if (await ctx.getUser()) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only an enrolled scanner device may do this' });
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Enrol this device first' });
  }
  const device = await enrolledDevice(ctx);
  return next({ ctx: { scanner: device } });
});

/**
 * Who may scan: a device presenting its Bearer token (bound to its event; a bad or revoked token is
 * refused, never silently replaced by a cookie), otherwise a signed-in staff member or admin.
 */
const requireScanner = t.middleware(async ({ ctx, next }) => {
  if (ctx.deviceToken !== undefined) {
    const scanner = await enrolledDevice(ctx);
    return next({ ctx: { scanner } });
  }
  const user = await scanningUser(ctx);
  const scanner: Scanner = { kind: 'user', userId: user.id, name: user.email };
  return next({ ctx: { scanner } });
});

/**
 * The live gate (checkin.scan): staff by session, or a device by its token passed on unlooked-up — the
 * scan's one statement checks the device (a bad or revoked token is refused there, never replaced by a
 * cookie), so the hot call pays no separate device lookup.
 */
const identifyGate = t.middleware(async ({ ctx, next }) => {
  if (ctx.deviceToken !== undefined) {
    const gate: GateScanner = { kind: 'deviceToken', token: ctx.deviceToken };
    return next({ ctx: { gate } });
  }
  const user = await scanningUser(ctx);
  const gate: GateScanner = { kind: 'user', userId: user.id, name: user.email };
  return next({ ctx: { gate } });
});

/**
 * Takes a point of `name` from `limits` for the caller's address. A refusal is marked as covering the
 * whole procedure for that address (the HTTP layer may then answer repeats early).
 */
export async function takePerIp(ctx: Pick<Context, 'ip'>, limits: CallLimits, name: LimitName): Promise<void> {
  try {
    await limits.take(name, ctx.ip);
  } catch (err) {
    if (isAppError(err) && err.code === 'RATE_LIMITED') throw new AppError(err.code, err.message, { ...err.details, scope: 'address' });
    throw err;
  }
}

/** Takes a point of `name` per call, keyed by the caller's address: a batch of N calls costs N. */
export const limitPerIp = (name: LimitName) =>
  t.middleware(async ({ ctx, next }) => {
    await takePerIp(ctx, ctx.limits, name);
    return next();
  });

/**
 * The limits for a call about `eventId`: none when the request carries that load-test event's key (so
 * one load generator can act as a crowd), the caller's otherwise. A key never helps another event.
 */
export async function limitsForEvent(ctx: Pick<Context, 'limits' | 'loadTestEventId'>, eventId: string): Promise<CallLimits> {
  return (await ctx.loadTestEventId()) === eventId ? noCallLimits : ctx.limits;
}

/**
 * Takes a point of `name` per call, keyed by the scanner making it (after requireDevice or
 * requireScanner): the enrolled device, or the staff login scanning without one. Not marked as covering
 * the address: the other phones of a venue share it and must go on scanning.
 */
export const limitPerDevice = (name: LimitName) =>
  t.middleware(async ({ ctx, next }) => {
    const scanner = (ctx as typeof ctx & { scanner?: Scanner }).scanner;
    if (!scanner) throw new Error('limitPerDevice needs a scanner (use it after requireDevice or requireScanner)');
    await ctx.limits.take(name, scanner.kind === 'device' ? `device:${scanner.deviceId}` : `user:${scanner.userId}`);
    return next();
  });

/**
 * For calls that carry an order token: never in a URL (proxies, CDNs and browser history keep URLs; our
 * client POSTs these), and counted per address so a flood of look-ups is bounded.
 */
const keepTokenOutOfUrl = t.middleware(({ ctx, next }) => {
  if (ctx.transport === 'GET') {
    throw new AppError('TOKEN_IN_URL', 'This call carries a private order token: send it in a POST body, never in a URL');
  }
  return next();
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;
export const publicProcedure = t.procedure.use(everyCall);
/** Anyone signed in (their own password). */
export const signedInProcedure = publicProcedure.use(requireRole('signedIn'));
/** Staff or admin, signed in. */
export const staffProcedure = publicProcedure.use(requireRole('staff'));
/** The organizer console's reads: an admin or a read-only viewer. */
export const adminReadProcedure = publicProcedure.use(requireRole('read'));
/** Organizer changes: admins only, each one audited. */
export const adminProcedure = publicProcedure.use(requireRole('admin')).use(auditMutations);
/** Anonymous, with an order token in its input: POST only, limited per address. */
export const orderTokenProcedure = publicProcedure.use(keepTokenOutOfUrl).use(limitPerIp('orderReads'));
/**
 * orders.get: like orderTokenProcedure, except that a request carrying a load-test key pays its point
 * only once the order's event is known (`ctx.chargeOrderRead(eventId)`, null when no order was found) —
 * nothing for an order of that load-test event. Requests without a key pay before anything runs.
 */
export const orderPageProcedure = publicProcedure.use(keepTokenOutOfUrl).use(
  t.middleware(async ({ ctx, next }) => {
    const loadTestEventId = await ctx.loadTestEventId();
    if (!loadTestEventId) await takePerIp(ctx, ctx.limits, 'orderReads');
    const chargeOrderRead = async (eventId: string | null) => {
      if (loadTestEventId && eventId !== loadTestEventId) await takePerIp(ctx, ctx.limits, 'orderReads');
    };
    return next({ ctx: { chargeOrderRead } });
  }),
);
/** An enrolled scanner device or signed-in staff: the gate. */
export const scannerProcedure = publicProcedure.use(requireScanner);
/** checkin.scan: like scannerProcedure, but the device is checked by the scan's own statement. */
export const gateProcedure = publicProcedure.use(identifyGate);
/** An enrolled scanner device only (offline snapshot and upload). */
export const deviceProcedure = publicProcedure.use(requireDevice);
