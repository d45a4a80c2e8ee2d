import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { Redis } from 'ioredis';
import { countOrdersByStatus } from '../../modules/orders/index.ts';
import { countPendingOutbox, notificationQueueDepth } from '../../modules/notifications/index.ts';
import type { AppDeps } from '../context.ts';
import { registry } from '../../trpc/metrics.ts';
import { batchStatsOf, type BatchStats } from '../../db/statement-batches.ts';

/**
 * GET /metrics in Prometheus text format: the process registry plus gauges read from the database (and
 * Redis) at scrape time, so every process reports the same cluster-wide numbers for them, and this
 * process's batched statements on its database (per process, like the registry's counters).
 * With METRICS_TOKEN set, scrapers must send `Authorization: Bearer <token>`. Without it, production
 * answers only scrapers on this machine (see localScrape); development and tests answer everyone.
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
  // Group commit at the gate (db/statement-batches.ts): inputs / statements = scans per statement.
  const batched = (name: string, help: string, read: (s: BatchStats) => number) =>
    new client.Counter({
      name,
      help,
      registers: [scraped],
      collect() {
        this.reset();
        this.inc(read(batchStatsOf(deps.db)));
      },
    });
  batched('gatekeeper_db_batched_statements_total', 'Batched statements run by this process (gate scans, exits, refused attempts)', (s) => s.statements);
  batched('gatekeeper_db_batched_inputs_total', 'Calls those statements carried: divided by the statements, calls per statement', (s) => s.inputs);
  if (redis) {
    const queue = notificationQueueDepth(redis, deps.config.notifications.queuePrefix);
    app.addHook('onClose', () => queue.close());
    new client.Gauge({
      name: 'gatekeeper_queue_waiting',
      help: 'Jobs waiting in the notification queue (BullMQ, Redis); absent while Redis is unreachable',
      registers: [scraped],
      async collect() {
        try {
          this.set(await queue.waiting());
        } catch {
          this.reset();
        }
      },
    });
  }

  const token = deps.config.metricsToken;
  const localOnly = !token && deps.config.nodeEnv === 'production';
  if (localOnly) {
    app.log.warn('METRICS_TOKEN is not set: /metrics answers only scrapers on this machine. Set it to scrape from elsewhere.');
  }
  app.get('/metrics', async (req, reply) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return reply.code(401).send({ error: 'Unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
    }
    if (localOnly && !localScrape(req)) {
      return reply.code(403).send({
        error: 'Forbidden',
        message: 'In production /metrics needs METRICS_TOKEN (scrape with Authorization: Bearer <token>); without it only this machine may scrape',
      });
    }
    const [own, db] = await Promise.all([registry.metrics(), scraped.metrics()]);
    return reply.type(registry.contentType).send(`${own}\n${db}`);
  });
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * A scraper on this machine: the TCP peer is loopback. Judged by the socket, not req.ip, which
 * TRUST_PROXY lets X-Forwarded-For set. A reverse proxy on the same box also connects from loopback, so
 * a request that says it was forwarded is not local (a proxy that adds no such header: block the path).
 */
function localScrape(req: FastifyRequest): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '') && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
