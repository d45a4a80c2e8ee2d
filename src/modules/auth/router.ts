import { adminProcedure, limitPerIp, publicProcedure, router, signedInProcedure } from '../../trpc/index.ts';
import { adminUserSchema, changePasswordInput, createUserInput, loginInput, sessionUserSchema, userIdInput } from './dto.ts';
import * as service from './service.ts';
import { z } from 'zod';

const ok = z.object({ ok: z.literal(true) });

export const authRouter = router({
  login: publicProcedure
    .use(limitPerIp('login'))
    .input(loginInput)
    .output(z.object({ user: sessionUserSchema }))
    .mutation(async ({ ctx, input }) => {
      const { token, user, maxAgeSeconds } = await service.login(ctx.deps.db, input, ctx.deps.clock(), ctx.deps.config);
      ctx.cookies.set(service.SESSION_COOKIE, token, { maxAgeSeconds });
      return { user };
    }),
  logout: publicProcedure.output(ok).mutation(async ({ ctx }) => {
    await service.logout(ctx.deps.db, ctx.sessionToken);
    ctx.cookies.clear(service.SESSION_COOKIE);
    return { ok: true as const };
  }),
  me: publicProcedure.output(z.object({ user: sessionUserSchema.nullable() })).query(async ({ ctx }) => ({
    user: await ctx.getUser(),
  })),
  /** Any signed-in user (admin, staff or viewer) may change their own password. */
  changePassword: signedInProcedure
    .input(changePasswordInput)
    .output(ok)
    .mutation(({ ctx, input }) => service.changePassword(ctx.deps.db, ctx.user, ctx.sessionToken, input)),
});

export const authAdminRouter = router({
  createUser: adminProcedure
    .input(createUserInput)
    .output(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => service.createUser(ctx.deps.db, input)),
  listUsers: adminProcedure.output(z.array(adminUserSchema)).query(({ ctx }) => service.listUsers(ctx.deps.db)),
  disableUser: adminProcedure
    .input(userIdInput)
    .output(ok)
    .mutation(({ ctx, input }) => service.setUserDisabled(ctx.deps.db, ctx.user, { ...input, disabled: true }, ctx.deps.clock())),
  enableUser: adminProcedure
    .input(userIdInput)
    .output(ok)
    .mutation(({ ctx, input }) => service.setUserDisabled(ctx.deps.db, ctx.user, { ...input, disabled: false }, ctx.deps.clock())),
});
