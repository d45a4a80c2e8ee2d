import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { TRPCError } from '@trpc/server';
import { isAppError } from '../../shared/errors.ts';
import type { TrpcGuard, TrpcOnError } from '../trpc-reply.ts';

const MAX_ENTRIES = 10_000;
/**
 * A repeat is answered after this pause: it costs the server a timer, and a client that calls in a loop
 * (the usual flood) is slowed to a couple of calls per second per connection instead of thousands.
 */
const TARPIT_MS = 500;
/**
 * The pause varies by ± half: with one fixed pause, a flood's connections all come back at the same
 * instant and arrive as bursts that the gate's requests queue behind.
 */
const tarpit = () => sleep(TARPIT_MS * (0.5 + Math.random()));

/**
 * Remembers a per-address refusal (a procedure's limit spent by one address) until it runs out, and
 * answers repeats of it before tRPC runs, after a short pause. A client that keeps calling after its limit
 * then costs a map lookup and a timer instead of a full call, so one address's flood can't crowd the gate
 * out of the event loop. Only
 * refusals of a whole procedure for an address are kept (`details.scope === 'address'`); per-buyer
 * limits are not, so others behind the same NAT keep buying. One process's memory: bounded, best effort.
 */
export function refusalCache() {
  const refusals = new Map<string, { until: number; error: TRPCError }>();
  const keyOf = (req: FastifyRequest, path: string) => `${req.ip} ${path}`;

  const onError: TrpcOnError = ({ error, path, req }) => {
    const cause = error.cause;
    if (!path || !isAppError(cause) || cause.code !== 'RATE_LIMITED' || cause.details?.scope !== 'address') return;
    const seconds = Number(cause.details.retryAfterSeconds);
    if (!(seconds > 0)) return;
    if (refusals.size >= MAX_ENTRIES) refusals.delete(refusals.keys().next().value!);
    refusals.set(keyOf(req, path), { until: Date.now() + seconds * 1000, error });
  };

  /** The cached refusal, after the tarpit pause, when every call of the request is refused for this address. */
  const guard: TrpcGuard = async (req, paths) => {
    const now = Date.now();
    let first: TRPCError | undefined;
    for (const path of paths) {
      const entry = refusals.get(keyOf(req, path));
      if (!entry || entry.until <= now) return undefined;
      first ??= entry.error;
    }
    await tarpit();
    return first;
  };

  return { onError, guard };
}
