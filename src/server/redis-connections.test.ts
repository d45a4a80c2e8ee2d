import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClientName } from '../shared/redis.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testRedisUrl } from '../testing/env.ts';
import { postTrpc } from '../testing/http.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';

/*
 * A server process with REDIS_URL keeps one Redis connection: call limits, /readyz, the /metrics queue
 * gauge, the outbox relay and Stripe pacing all share it. Counted twice: by the name it gives itself in
 * Redis' CLIENT LIST, and by the process's own TCP sockets to Redis' port (which unnamed ones can't escape).
 */

const METRICS_TOKEN = 'metrics-token-for-the-connections-test';
let database: TestDatabase;
let server: ServerProcess;
const redisUrl = new URL(testRedisUrl());

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServerProcess({
    DATABASE_URL: database.url!,
    REDIS_URL: redisUrl.toString(),
    // Limits on, so their counters live in Redis; Stripe configured, so its pacing does too.
    RATE_LIMIT_ORDER_READS_PER_MINUTE: '120',
    STRIPE_SECRET_KEY: 'sk_test_connections',
    STRIPE_WEBHOOK_SECRET: 'whsec_connections',
    METRICS_TOKEN,
  });
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** TCP sockets of process `pid` connected to `port` on the server (IPv4 and IPv6), from /proc. */
function socketsTo(pid: number, port: number): number {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }));
      return m ? [m[1]!] : [];
    }),
  );
  const remotePort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['tcp', 'tcp6']
    .flatMap((f) => readFileSync(`/proc/${pid}/net/${f}`, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[2]?.endsWith(`:${remotePort}`) && cols[3] === '01' && inodes.has(cols[9]!)).length;
}

describe('Redis connections of a server process', () => {
  it('is one, shared by every user of Redis', async () => {
    // Every user of Redis has run before the count: the limiter (an order read counts a point before it
    // finds nothing), the metrics' queue gauge and the readiness check.
    const read = await postTrpc(server.url, 'orders.get', { orderId: '00000000-0000-4000-8000-000000000000', token: 'x'.repeat(43) });
    expect(read.status).toBe(404);
    const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^gatekeeper_queue_waiting(\{[^}]*\})? \d+$/m);
    const ready = await (await fetch(`${server.url}/readyz`)).json();
    expect(ready).toMatchObject({ ok: true, redis: 'ok' });

    const observer = new Redis(redisUrl.toString());
    const clients = ((await observer.client('LIST')) as string).split('\n').filter((l) => l.includes(` name=${redisClientName('server', server.child.pid)} `));
    observer.disconnect();
    expect(clients).toHaveLength(1);
    expect(socketsTo(server.child.pid!, Number(redisUrl.port || 6379))).toBe(1);
  });
});
