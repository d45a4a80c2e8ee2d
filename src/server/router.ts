import { authAdminRouter, authRouter } from '../modules/auth/router.ts';
import { catalogAdminRouter, catalogRouter } from '../modules/catalog/router.ts';
import { healthRouter } from './health-router.ts';
import { auditAdminRouter } from '../modules/audit/router.ts';
import { checkinAdminRouter, checkinRouter } from '../modules/checkin/router.ts';
import { notificationsAdminRouter } from '../modules/notifications/router.ts';
import { ordersAdminRouter, ordersRouter } from '../modules/orders/router.ts';
import { vouchersAdminRouter } from '../modules/vouchers/router.ts';
import { waitlistAdminRouter, waitlistRouter } from '../modules/waitlist/router.ts';
import { mergeRouters, router } from '../trpc/index.ts';

export const appRouter = router({
  catalog: catalogRouter,
  orders: ordersRouter,
  auth: authRouter,
  health: healthRouter,
  checkin: checkinRouter,
  waitlist: waitlistRouter,
  // Organizer procedures from every module under one name; each one checks the role itself (reads: admin or viewer).
  admin: mergeRouters(
    catalogAdminRouter,
    authAdminRouter,
    checkinAdminRouter,
    ordersAdminRouter,
    notificationsAdminRouter,
    vouchersAdminRouter,
    waitlistAdminRouter,
    auditAdminRouter,
  ),
});

export type AppRouter = typeof appRouter;
