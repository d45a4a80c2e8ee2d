import { TRPCError } from '@trpc/server';
import type { TrpcGuard } from './trpc-reply.ts';

/**
 * Whether this process can serve yet. main.ts listens before the database answers (so /healthz and
 * /readyz answer, and a supervisor sees a live process rather than a crash loop); until start-up setup
 * ran, `reason` says what it waits for.
 */
export type Availability = { ready: boolean; reason?: string };

export const alwaysReady: Availability = { ready: true };

/** tRPC calls before start-up finished: a 503 that says why, instead of a query against an unmigrated database. */
export const availabilityGuard =
  (availability: Availability): TrpcGuard =>
  () =>
    availability.ready
      ? undefined
      : new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `Starting: ${availability.reason ?? 'not ready yet'}. Try again shortly.` });
