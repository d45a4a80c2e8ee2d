import { adminProcedure, publicProcedure, router } from '../../server/trpc.ts';
import { createUserInput, loginInput, sessionUserSchema } from './dto.ts';
import * as service from './service.ts';
import { z } from 'zod';

export const authRouter = router({
  login: publicProcedure
    .input(loginInput)
    .output(z.object({ user: sessionUserSchema }))
    .mutation(async ({ ctx, input }) => {
      const { token, user, maxAgeSeconds } = await service.login(ctx.deps.db, input, ctx.deps.clock());
      ctx.cookies.set(service.SESSION_COOKIE, token, { maxAgeSeconds });
      return { user };
    }),
  logout: publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await service.logout(ctx.deps.db, ctx.sessionToken);
    ctx.cookies.clear(service.SESSION_COOKIE);
    return { ok: true as const };
  }),
  me: publicProcedure.output(z.object({ user: sessionUserSchema.nullable() })).query(async ({ ctx }) => ({
    user: await ctx.getUser(),
  })),
});

export const authAdminRouter = router({
  createUser: adminProcedure
    .input(createUserInput)
    .output(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => service.createUser(ctx.deps.db, input)),
});
