import { authAdminRouter, authRouter } from '../modules/auth/router.ts';
import { catalogAdminRouter, catalogRouter } from '../modules/catalog/router.ts';
import { ordersAdminRouter, ordersRouter } from '../modules/orders/router.ts';
import { mergeRouters, router } from './trpc.ts';

export const appRouter = router({
  catalog: catalogRouter,
  orders: ordersRouter,
  auth: authRouter,
  // Organizer procedures from every module under one name; each one checks the admin role itself.
  admin: mergeRouters(catalogAdminRouter, authAdminRouter, ordersAdminRouter),
});

export type AppRouter = typeof appRouter;
