import { z } from 'zod';
import { publicProcedure, router } from '../trpc/index.ts';

export const healthRouter = router({
  /**
   * Does nothing through the full stack (HTTP, context, middlewares, output validation): the ceiling
   * the load test compares real procedures with, and a cheap liveness probe for tRPC clients.
   */
  ping: publicProcedure.output(z.object({ ok: z.literal(true) })).query(() => ({ ok: true as const })),
  /** What every page needs to know about this install: whether "payments" are the TEST provider's. */
  site: publicProcedure
    .output(z.object({ testPayments: z.boolean() }))
    .query(({ ctx }) => ({ testPayments: ctx.deps.payments.current?.name === 'test' })),
});
