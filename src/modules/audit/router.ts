import { adminProcedure, router } from '../../trpc/index.ts';
import { auditLogInput, auditLogOutput } from './dto.ts';
import * as service from './service.ts';

export const auditAdminRouter = router({
  auditLog: adminProcedure
    .input(auditLogInput)
    .output(auditLogOutput)
    .query(({ ctx, input }) => service.list(ctx.deps.db, input)),
});
