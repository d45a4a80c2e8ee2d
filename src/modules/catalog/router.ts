import { z } from 'zod';
import { adminProcedure, adminReadProcedure, publicProcedure, router } from '../../server/trpc.ts';
import {
  adminEventSchema,
  createAddOnInput,
  createEventInput,
  createTicketTypeInput,
  eventIdInput,
  eventSummarySchema,
  publicEventSchema,
  updateEventInput,
  updateAddOnInput,
  updateTicketTypeInput,
} from './dto.ts';
import * as editing from './editing.ts';
import * as service from './service.ts';

export const catalogRouter = router({
  listEvents: publicProcedure
    .output(z.array(eventSummarySchema))
    .query(({ ctx }) => service.listEvents(ctx.deps.db, ctx.deps.clock())),
  getEvent: publicProcedure
    .input(eventIdInput)
    .output(publicEventSchema)
    .query(({ ctx, input }) => service.getPublicEvent(ctx.deps.db, input.eventId, ctx.deps.clock())),
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
    .mutation(({ ctx, input }) => editing.updateTicketType(ctx.deps.db, input, ctx.deps.clock())),
  updateAddOn: adminProcedure
    .input(updateAddOnInput)
    .output(z.object({ addOnId: z.uuid(), eventId: z.uuid() }))
    .mutation(({ ctx, input }) => editing.updateAddOn(ctx.deps.db, input, ctx.deps.clock())),
  createAddOn: adminProcedure
    .input(createAddOnInput)
    .output(z.object({ addOnId: z.uuid() }))
    .mutation(({ ctx, input }) => service.createAddOn(ctx.deps.db, input)),
});
