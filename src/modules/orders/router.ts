import { z } from 'zod';
import { adminProcedure, adminReadProcedure, limitsForEvent, orderPageProcedure, orderTokenProcedure, publicProcedure, router, takePerIp } from '../../trpc/index.ts';
import {
  adminOrderSummarySchema,
  createOrderInput,
  createOrderOutput,
  listEventOrdersInput,
  orderAccessInput,
  orderViewSchema,
  searchOrdersInput,
  searchOrdersOutput,
  adminOrderDetailSchema,
  adminRefundInput,
  renameHolderInput,
  liveStatsSchema,
  customerRenameHolderInput,
  searchAttendeesInput,
  searchAttendeesOutput,
  testPaymentInput,
} from './dto.ts';
import * as catalog from '../catalog/index.ts';
import { getOrderDetail, listOrdersOfEvent, searchAttendees, searchOrders } from './console.ts';
import { customerRenameHolder, renameHolder } from './holders.ts';
import { cancelEvent } from './cancel-event.ts';
import { admitLivePage, watchLiveStats } from './live.ts';
import { refundPart } from './partial-refund.ts';
import * as loadTest from './load-test.ts';
import * as messages from './messages.ts';
import * as service from './service.ts';

export const ordersRouter = router({
  create: publicProcedure
    .input(createOrderInput)
    .output(createOrderOutput)
    .mutation(async ({ ctx, input }) => {
      // Lifted only for the load-test event whose key the request carries (the load generator's crowd).
      const limits = await limitsForEvent(ctx, input.eventId);
      await takePerIp(ctx, limits, 'ordersPerIp');
      // Per buyer (address and email), so a crowd behind one NAT can buy while one client can't hoard.
      await limits.take('ordersPerBuyer', `${ctx.ip}|${input.customer.email.toLowerCase()}`);
      if (input.voucher) await ctx.limits.take('voucherChecks', ctx.ip);
      return service.placeOrder(ctx.deps, input, { ip: ctx.ip, limits });
    }),
  get: orderPageProcedure
    .input(orderAccessInput)
    .output(orderViewSchema)
    .query(async ({ ctx, input }) => {
      const view = await service.getOrder(ctx.deps, input).catch(async (err: unknown) => {
        await ctx.chargeOrderRead(null);
        throw err;
      });
      await ctx.chargeOrderRead(view.event.id);
      return view;
    }),
  resumePayment: orderTokenProcedure
    .input(orderAccessInput)
    .output(z.object({ paymentUrl: z.string() }))
    .mutation(({ ctx, input }) => service.resumePayment(ctx.deps, input)),
  testPayment: orderTokenProcedure
    .input(testPaymentInput)
    .output(z.object({ status: z.enum(['paid', 'cancelled']) }))
    .mutation(({ ctx, input }) => service.completeTestPayment(ctx.deps, input)),
  /** The customer corrects a ticket holder's name until sales end (token in the POST body; limited per address). */
  renameHolder: orderTokenProcedure
    .input(customerRenameHolderInput)
    .output(z.object({ ticketId: z.uuid(), name: z.string() }))
    .mutation(({ ctx, input }) => customerRenameHolder(ctx.deps, input)),
  resendTickets: orderTokenProcedure
    .input(orderAccessInput)
    .output(z.object({ queued: z.literal(true) }))
    .mutation(({ ctx, input }) => messages.resendTickets(ctx.deps, input)),
});

export const ordersAdminRouter = router({
  resendOrderTickets: adminProcedure
    .input(z.object({ orderId: z.uuid() }))
    .output(z.object({ queued: z.literal(true) }))
    .mutation(({ ctx, input }) => messages.adminResendTickets(ctx.deps, input)),
  listOrders: adminReadProcedure
    .input(listEventOrdersInput)
    .output(z.array(adminOrderSummarySchema))
    .query(({ ctx, input }) => listOrdersOfEvent(ctx.deps.db, input.eventId)),
  cancelEvent: adminProcedure
    .input(z.object({ eventId: z.uuid(), reason: z.string().trim().max(500).optional() }))
    .output(z.object({ refunded: z.number().int(), cancelled: z.number().int(), failed: z.number().int(), remaining: z.number().int() }))
    .mutation(({ ctx, input }) => cancelEvent(ctx.deps, { ...input, actor: `admin:${ctx.user.id}` })),
  /** The live control room: the numbers now, then again within moments of each scan or sale on any process (SSE). */
  liveStats: adminReadProcedure
    .input(z.object({ eventId: z.uuid() }))
    .subscription(async ({ ctx, input, signal }) => {
      // Refusals (too many pages, no such event) before the stream opens, so they are ordinary errors;
      // the page count first, so a flood of refused subscriptions reads nothing.
      const release = admitLivePage(ctx.user.id);
      await catalog.getEventInfo(ctx.deps.db, input.eventId).catch((err: unknown) => {
        release();
        throw err;
      });
      return (async function* () {
        try {
          for await (const stats of watchLiveStats(ctx.deps, input.eventId, signal)) yield liveStatsSchema.parse(stats);
        } finally {
          release();
        }
      })();
    }),
  searchOrders: adminReadProcedure
    .input(searchOrdersInput)
    .output(searchOrdersOutput)
    .query(({ ctx, input }) => searchOrders(ctx.deps.db, input)),
  searchAttendees: adminReadProcedure
    .input(searchAttendeesInput)
    .output(searchAttendeesOutput)
    .query(({ ctx, input }) => searchAttendees(ctx.deps.db, input)),
  renameTicketHolder: adminProcedure
    .input(renameHolderInput)
    .output(z.object({ ticketId: z.uuid(), name: z.string() }))
    .mutation(({ ctx, input }) => renameHolder(ctx.deps, { ...input, actor: `admin:${ctx.user.id}` })),
  getOrder: adminReadProcedure
    .input(z.object({ orderId: z.uuid() }))
    .output(adminOrderDetailSchema)
    .query(({ ctx, input }) => getOrderDetail(ctx.deps.db, input.orderId)),
  refundOrder: adminProcedure
    .input(adminRefundInput)
    .output(z.object({ status: z.enum(['paid', 'cancelled']), refundedCents: z.number().int() }))
    .mutation(({ ctx, input }) => refundPart(ctx.deps, { ...input, actor: `admin:${ctx.user.id}` })),
  /** `npm run loadtest -- --target`: a hidden, free, never-messaged event; its load-test key is shown only here. */
  createLoadTestEvent: adminProcedure
    .input(catalog.createLoadTestEventInput)
    .output(z.object({ eventId: z.uuid(), ticketTypeIds: z.array(z.uuid()), loadTestKey: z.string() }))
    .mutation(({ ctx, input }) => loadTest.createLoadTestEvent(ctx.deps.db, input, ctx.deps.clock())),
  /** Refuses any event not made by createLoadTestEvent; call until `ordersLeft` is 0. */
  removeLoadTestEvent: adminProcedure
    .input(z.object({ eventId: z.uuid() }))
    .output(z.object({ eventId: z.uuid(), devicesRevoked: z.number().int(), ordersLeft: z.number().int() }))
    .mutation(({ ctx, input }) => loadTest.removeLoadTestEvent(ctx.deps.db, input.eventId, `admin:${ctx.user.id}`, ctx.deps.clock())),
});
