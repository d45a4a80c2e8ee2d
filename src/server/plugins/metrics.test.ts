import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config.ts';
import { batchedRow, batchInput } from '../../db/statement-batches.ts';
import { createNotificationQueue } from '../../modules/notifications/index.ts';
import { testDeps } from '../../testing/app.ts';
import { testRedisUrl } from '../../testing/env.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { buildApp } from '../app.ts';

/* Who may read /metrics, and the queue depth it reports from a real Redis queue with its own prefix. */

const suite = useTestDatabase();
const apps: FastifyInstance[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

async function appWith(config: Partial<Config>) {
  const deps = testDeps(suite.deps.db, { config });
  const app = await buildApp({ deps });
  apps.push(app);
  return app;
}

const scrape = (app: FastifyInstance, opts: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
  app.inject({ url: '/metrics', ...opts });

describe('/metrics in production', () => {
  it('without METRICS_TOKEN answers only this machine, by the socket address, and refuses everyone else with a reason', async () => {
    const app = await appWith({ nodeEnv: 'production', trustProxy: 1 });
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await scrape(app, { remoteAddress })).statusCode, remoteAddress).toBe(200);
    }
    for (const remoteAddress of ['203.0.113.5', '10.0.0.7', '::ffff:198.51.100.1']) {
      const res = await scrape(app, { remoteAddress });
      expect(res.statusCode, remoteAddress).toBe(403);
      expect(res.json().message).toMatch(/needs METRICS_TOKEN/);
    }
    // X-Forwarded-For may set req.ip (TRUST_PROXY), never the socket: claiming loopback gets nothing.
    expect((await scrape(app, { remoteAddress: '203.0.113.5', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(403);
    // A reverse proxy on this box connects from loopback: what it forwards from outside is not local.
    expect((await scrape(app, { headers: { 'x-forwarded-for': '203.0.113.5' } })).statusCode).toBe(403);
  });

  it('with METRICS_TOKEN wants the Bearer token from everyone, this machine included', async () => {
    const app = await appWith({ nodeEnv: 'production', metricsToken: 'a-long-metrics-token' });
    expect((await scrape(app)).statusCode).toBe(401);
    expect((await scrape(app, { headers: { authorization: 'Bearer not-the-metrics-token' } })).statusCode).toBe(401);
    const remote = await scrape(app, { remoteAddress: '203.0.113.5', headers: { authorization: 'Bearer a-long-metrics-token' } });
    expect(remote.statusCode).toBe(200);
    expect(remote.body).toMatch(/^gatekeeper_outbox_pending\{[^}]*\} \d+$/m);
  });

  it('outside production, without a token, stays open (development scrapes from anywhere on the LAN)', async () => {
    const app = await appWith({ nodeEnv: 'development' });
    expect((await scrape(app, { remoteAddress: '192.168.1.20' })).statusCode).toBe(200);
  });
});

describe('gatekeeper_db_batched_*', () => {
  it("count the process's batched statements and the calls they carried (scans per gate statement)", async () => {
    const app = await appWith({ nodeEnv: 'development' });
    const read = async () => {
      const body = (await scrape(app)).body;
      const value = (name: string) => Number(new RegExp(`^gatekeeper_db_batched_${name}_total\\{[^}]*\\} (\\d+)$`, 'm').exec(body)![1]);
      return { statements: value('statements'), inputs: value('inputs') };
    };
    const before = await read();
    const echo = () => sql`SELECT b.ord FROM json_to_recordset(${batchInput}::json) AS b(ord int)`;
    await Promise.all(Array.from({ length: 3 }, () => batchedRow(suite.deps.db, 'test-metrics', echo, {}, [])));
    const after = await read();
    expect(after.inputs - before.inputs).toBe(3);
    expect(after.statements - before.statements).toBeGreaterThanOrEqual(1);
    expect(after.statements - before.statements).toBeLessThanOrEqual(3);
  });
});

describe('gatekeeper_queue_waiting', () => {
  it('counts the jobs waiting in the notification queue under the configured QUEUE_PREFIX', async () => {
    const queuePrefix = `gk-metrics-${randomBytes(4).toString('hex')}`;
    const base = testDeps(suite.deps.db).config;
    const app = await appWith({ redisUrl: testRedisUrl(), notifications: { ...base.notifications, queuePrefix } });
    const depth = async () => Number(/^gatekeeper_queue_waiting\{[^}]*\} (\d+)$/m.exec((await scrape(app)).body)?.[1]);
    expect(await depth()).toBe(0);

    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const queue = createNotificationQueue(connection, { prefix: queuePrefix, maxAttempts: 1, backoffMs: 1000 });
    try {
      await queue.addBulk(['a', 'b', 'c'].map((id) => ({ name: 'deliver', data: { outboxId: `metrics-${id}` }, opts: { jobId: `metrics-${id}` } })));
      expect(await depth()).toBe(3);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    }
  });
});
