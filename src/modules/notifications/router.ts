import { z } from 'zod';
import { adminProcedure, router } from '../../trpc/index.ts';
import { failedNotificationSchema, outboxIdInput } from './dto.ts';
import * as service from './service.ts';

export const notificationsAdminRouter = router({
  listFailedNotifications: adminProcedure
    .output(z.array(failedNotificationSchema))
    .query(({ ctx }) => service.listFailedNotifications(ctx.deps.db)),
  retryNotification: adminProcedure
    .input(outboxIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await service.retryFailedNotification(ctx.deps.db, input.outboxId, ctx.deps.clock());
      return { ok: true as const };
    }),
});
