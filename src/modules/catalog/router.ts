import { z } from 'zod';
import { adminProcedure, adminReadProcedure, publicProcedure, router } from '../../trpc/index.ts';
import {
  adminEventSchema,
  createAddOnInput,
  createEventInput,
  createTicketTypeInput,
  eventIdInput,
  eventSummarySchema,
  publicEventSchema,
  publicTicketTypeSchema,
  updateEventInput,
  updateAddOnInput,
  updateTicketTypeInput,
} from './dto.ts';
import * as editing from './editing.ts';
import * as service from './service.ts';
import { publicEventWithVoucher, publicVoucherSchema } from '../vouchers/index.ts';
import { offerFreedSeats } from '../waitlist/index.ts';

/** The event page, with a voucher's unlocked types and discounted prices when a code is given. */
const eventPageSchema = publicEventSchema.extend({
  ticketTypes: z.array(publicTicketTypeSchema.extend({ voucherPriceCents: z.number().int().optional() })),
  voucher: publicVoucherSchema.optional(),
});

export const catalogRouter = router({
  listEvents: publicProcedure
    .output(z.array(eventSummarySchema))
    .query(({ ctx }) => service.listEvents(ctx.deps.db, ctx.deps.clock())),
  getEvent: publicProcedure
    .input(eventIdInput.extend({ voucher: z.string().max(100).optional() }))
    .output(eventPageSchema)
    .query(async ({ ctx, input }) => {
      if (!input.voucher?.trim()) return service.getPublicEvent(ctx.deps.db, input.eventId, ctx.deps.clock());
      // Each code tried costs a point: codes cannot be found by trying.
      await ctx.limits.take('voucherChecks', ctx.ip);
      return publicEventWithVoucher(ctx.deps.db, input.eventId, input.voucher, ctx.deps.clock());
    }),
});

export const catalogAdminRouter = router({
  listEvents: adminReadProcedure
    .output(z.array(eventSummarySchema))
    .query(({ ctx }) => service.listAllEvents(ctx.deps.db, ctx.deps.clock())),
  getEvent: adminReadProcedure
    .input(eventIdInput)
    .output(adminEventSchema)
    .query(({ ctx, input }) => service.getAdminEvent(ctx.deps.db, input.eventId, ctx.deps.clock())),
  createEvent: adminProcedure
    .input(createEventInput)
    .output(z.object({ eventId: z.uuid() }))
    .mutation(({ ctx, input }) => service.createEvent(ctx.deps.db, input, ctx.deps.config.defaultHoldMinutes)),
  updateEvent: adminProcedure
    .input(updateEventInput)
    .output(z.object({ eventId: z.uuid() }))
    .mutation(({ ctx, input }) => service.updateEvent(ctx.deps.db, input)),
  createTicketType: adminProcedure
    .input(createTicketTypeInput)
    .output(z.object({ ticketTypeId: z.uuid() }))
    .mutation(({ ctx, input }) => service.createTicketType(ctx.deps.db, input)),
  updateTicketType: adminProcedure
    .input(updateTicketTypeInput)
    .output(z.object({ ticketTypeId: z.uuid(), eventId: z.uuid() }))
    .mutation(({ ctx, input }) => {
      const now = ctx.deps.clock();
      // Raised capacity goes to the people waiting first, in the same transaction.
      return editing.updateTicketType(ctx.deps.db, input, now, (tx) => offerFreedSeats(tx, [input.ticketTypeId], now));
    }),
  updateAddOn: adminProcedure
    .input(updateAddOnInput)
    .output(z.object({ addOnId: z.uuid(), eventId: z.uuid() }))
    .mutation(({ ctx, input }) => editing.updateAddOn(ctx.deps.db, input, ctx.deps.clock())),
  createAddOn: adminProcedure
    .input(createAddOnInput)
    .output(z.object({ addOnId: z.uuid() }))
    .mutation(({ ctx, input }) => service.createAddOn(ctx.deps.db, input)),
});
