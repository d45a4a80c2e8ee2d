import Fastify, { type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { sql } from 'drizzle-orm';
import { contextFactory, type AppDeps } from './context.ts';
import { appRouter, type AppRouter } from './router.ts';
import { registerClient } from './plugins/client.ts';
import { registerDevMailbox } from './plugins/dev-mailbox.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerStripeWebhook } from './plugins/stripe-webhook.ts';
import { isStripeProvider } from '../modules/payments/stripe/index.ts';

export type BuildAppOptions = {
  deps: AppDeps;
  logger?: FastifyServerOptions['logger'];
  /** The built SPA to serve; omitted in API-only tests. */
  clientDir?: string;
  /** How long a webhook waits for a locked order before answering 503 (default 5 s). */
  webhookLockTimeoutMs?: number;
};

/** The whole HTTP surface. Tests drive it with app.inject; main.ts makes it listen. */
export async function buildApp({ deps, logger = false, clientDir, webhookLockTimeoutMs }: BuildAppOptions) {
  const app = Fastify({
    logger,
    trustProxy: deps.config.trustProxy,
    // tRPC batches put several procedure names in one path segment.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 256 * 1024,
  });

  await registerSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: contextFactory(deps),
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  const stripe = deps.payments.get('stripe');
  if (isStripeProvider(stripe)) await registerStripeWebhook(app, { deps, stripe, lockTimeoutMs: webhookLockTimeoutMs });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.db.execute(sql`select 1`);
      return { ok: true };
    } catch {
      return reply.code(503).send({ ok: false, database: 'unreachable' });
    }
  });

  // What the embedded default "sent" (DATA_DIR/outbox/); never in production.
  if (deps.config.nodeEnv !== 'production') registerDevMailbox(app, deps);
  if (clientDir) await registerClient(app, clientDir);
  return app;
}
