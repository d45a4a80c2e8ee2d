import { z } from 'zod';
import { adminProcedure, orderTokenProcedure, publicProcedure, router } from '../../trpc/index.ts';
import { adminWaitlistEntrySchema, joinWaitlistInput, joinWaitlistOutput, offerAccessInput, offerViewSchema } from './dto.ts';
import * as service from './service.ts';

export const waitlistRouter = router({
  join: publicProcedure
    .input(joinWaitlistInput)
    .output(joinWaitlistOutput)
    .mutation(({ ctx, input }) => service.joinWaitlist(ctx.deps, input, { ip: ctx.ip, limits: ctx.limits })),
  /** Carries the offer link's token: POST only, counted like order look-ups. */
  getOffer: orderTokenProcedure
    .input(offerAccessInput)
    .output(offerViewSchema)
    .query(({ ctx, input }) => service.getOffer(ctx.deps, input)),
});

export const waitlistAdminRouter = router({
  listWaitlist: adminProcedure
    .input(z.object({ eventId: z.uuid() }))
    .output(z.array(adminWaitlistEntrySchema))
    .query(({ ctx, input }) => service.listWaitlist(ctx.deps.db, input.eventId)),
});
