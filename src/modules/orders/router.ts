import { z } from 'zod';
import { adminProcedure, adminReadProcedure, limitPerIp, orderTokenProcedure, publicProcedure, router } from '../../trpc/index.ts';
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
import { getOrderDetail, listOrdersOfEvent, searchAttendees, searchOrders } from './console.ts';
import { customerRenameHolder, renameHolder } from './holders.ts';
import { cancelEvent } from './cancel-event.ts';
import { admitLivePage, liveStats, watchLiveStats } from './live.ts';
import { refundPart } from './partial-refund.ts';
import * as messages from './messages.ts';
import * as service from './service.ts';

export const ordersRouter = router({
  create: publicProcedure
    .use(limitPerIp('ordersPerIp'))
    .input(createOrderInput)
    .output(createOrderOutput)
    .mutation(async ({ ctx, input }) => {
      // Per buyer (address and email), so a crowd behind one NAT can buy while one client can't hoard.
      await ctx.limits.take('ordersPerBuyer', `${ctx.ip}|${input.customer.email.toLowerCase()}`);
      if (input.voucher) await ctx.limits.take('voucherChecks', ctx.ip);
      return service.placeOrder(ctx.deps, input, { ip: ctx.ip, limits: ctx.limits });
    }),
  get: orderTokenProcedure
    .input(orderAccessInput)
    .output(orderViewSchema)
    .query(({ ctx, input }) => service.getOrder(ctx.deps, input)),
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
      // Refusals (no such event, too many pages) before the stream opens, so they are ordinary errors.
      await liveStats(ctx.deps.db, input.eventId, ctx.deps.clock());
      const release = admitLivePage(ctx.user.id);
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
});
