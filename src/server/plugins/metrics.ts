import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Redis } from 'ioredis';
import { countOrdersByStatus } from '../../modules/orders/index.ts';
import { countPendingOutbox } from '../../modules/notifications/index.ts';
import type { AppDeps } from '../context.ts';
import { registry } from '../metrics.ts';

/** BullMQ keeps a queue's waiting jobs in `bull:<name>:wait`; the notification worker's queue name. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/**
 * GET /metrics in Prometheus text format: the process registry plus gauges read from the database (and
 * Redis) at scrape time, so every process reports the same cluster-wide numbers for them.
 * With METRICS_TOKEN set, scrapers must send `Authorization: Bearer <token>`.
 */
export async function registerMetrics(app: FastifyInstance, deps: AppDeps, redis: Redis | undefined) {
  // Per app (tests build several apps in one process); the process-wide registry is shared.
  const scraped = new client.Registry();
  scraped.setDefaultLabels({ instance: process.env.NODE_APP_INSTANCE ?? '0' });
  new client.Gauge({
    name: 'gatekeeper_orders',
    help: 'Orders by status (read from the database at scrape time)',
    labelNames: ['status'] as const,
    registers: [scraped],
    async collect() {
      this.reset();
      for (const row of await countOrdersByStatus(deps.db)) this.set({ status: row.status }, row.count);
    },
  });
  new client.Gauge({
    name: 'gatekeeper_outbox_pending',
    help: 'Outbox messages written but not yet handed to the notification queue',
    registers: [scraped],
    async collect() {
      this.set(await countPendingOutbox(deps.db));
    },
  });
  if (redis) {
    new client.Gauge({
      name: 'gatekeeper_queue_waiting',
      help: 'Jobs waiting in the notification queue (BullMQ, Redis)',
      registers: [scraped],
      async collect() {
        this.set(await redis.llen(`bull:${NOTIFICATIONS_QUEUE}:wait`));
      },
    });
  }

  const token = deps.config.metricsToken;
  app.get('/metrics', async (req, reply) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return reply.code(401).send({ error: 'Unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
    }
    const [own, db] = await Promise.all([registry.metrics(), scraped.metrics()]);
    return reply.type(registry.contentType).send(`${own}\n${db}`);
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
