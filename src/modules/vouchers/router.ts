import { z } from 'zod';
import { adminProcedure, router } from '../../trpc/index.ts';
import { adminVoucherSchema, createVouchersInput, updateVoucherInput } from './dto.ts';
import * as service from './service.ts';

const eventIdInput = z.object({ eventId: z.uuid() });

export const vouchersAdminRouter = router({
  createVouchers: adminProcedure
    .input(createVouchersInput)
    .output(z.object({ vouchers: z.array(z.object({ id: z.uuid(), code: z.string() })) }))
    .mutation(({ ctx, input }) => service.createVouchers(ctx.deps.db, input, ctx.deps.clock())),
  listVouchers: adminProcedure
    .input(eventIdInput)
    .output(z.array(adminVoucherSchema))
    .query(({ ctx, input }) => service.listVouchers(ctx.deps.db, input.eventId)),
  updateVoucher: adminProcedure
    .input(updateVoucherInput)
    .output(adminVoucherSchema)
    .mutation(({ ctx, input }) => service.updateVoucher(ctx.deps.db, input, ctx.deps.clock())),
  exportVouchers: adminProcedure
    .input(eventIdInput)
    .output(z.object({ filename: z.string(), csv: z.string() }))
    .query(async ({ ctx, input }) => ({
      filename: `vouchers-${input.eventId.slice(0, 8)}.csv`,
      csv: await service.exportVouchersCsv(ctx.deps.db, input.eventId),
    })),
});
