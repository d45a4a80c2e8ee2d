import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { testRedisUrl } from '../testing/env.ts';
import { waitFor } from '../testing/notifications.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';

/*
 * Issue 19: a server started before PostgreSQL answers listens anyway, says in one line what it waits
 * for (host and port, never the password), answers /healthz, and 503s /readyz and tRPC until the database
 * (a proxy in front of the test database, not forwarding yet) answers; then it serves. Nothing ever
 * answering ends it after DATABASE_WAIT_SECONDS with the same line, no stack trace. Redis missing is
 * said once and the server runs without it.
 */

const PASSWORD = 'pw-must-not-show-7f3a';
let database: TestDatabase;
let dbProxy: Awaited<ReturnType<typeof startTcpProxy>>;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const u = new URL(database.url!);
  dbProxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) }, { mode: 'refuse' });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await dbProxy?.close();
  await database?.drop();
});

/** DATABASE_URL through the proxy, with a password (ignored by the test server's trust auth) that must never be printed. */
function proxiedUrl(port: number): string {
  const u = new URL(database.url!);
  u.username = 'postgres';
  u.password = PASSWORD;
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

const stackFrame = /^\s+at /m;

it('listens before PostgreSQL answers: /healthz 200, /readyz and tRPC 503 saying why; serves once it answers', async () => {
  const server = await startServerProcess({ DATABASE_URL: proxiedUrl(dbProxy.port), DATABASE_WAIT_SECONDS: '120' }, 60_000, [], { until: 'accepting' });
  servers.push(server);
  await waitFor(async () => server.output().includes('Cannot reach PostgreSQL at'), 'the clear line');
  expect(server.output()).toContain(`Cannot reach PostgreSQL at 127.0.0.1:${dbProxy.port}`);
  expect(server.output()).toContain('connection refused (ECONNREFUSED)');

  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ ok: false, starting: expect.stringContaining(`PostgreSQL at 127.0.0.1:${dbProxy.port}`) });
  const early = await fetch(`${server.url}/trpc/catalog.listEvents`);
  expect(early.status).toBe(503);
  expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(/^Starting: waiting for PostgreSQL/);

  await dbProxy.forward();
  await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 'the server to be ready', 30_000);
  expect((await fetch(`${server.url}/trpc/catalog.listEvents`)).status).toBe(200);
  expect(server.output()).toContain('answers now: starting.');
  expect(server.output()).not.toContain(PASSWORD);
  expect(server.output()).not.toMatch(stackFrame);
  expect(await server.stop()).toBe(0);
}, 90_000);

it('a SIGTERM while it waits for PostgreSQL ends it at once, cleanly', async () => {
  await dbProxy.refuse();
  const server = await startServerProcess({ DATABASE_URL: proxiedUrl(dbProxy.port), DATABASE_WAIT_SECONDS: '120' }, 60_000, [], { until: 'accepting' });
  servers.push(server);
  await waitFor(async () => server.output().includes('Cannot reach PostgreSQL at'), 'the clear line');
  const t0 = Date.now();
  expect(await server.stop('SIGTERM'), server.output()).toBe(0);
  expect(Date.now() - t0).toBeLessThan(3000);
  expect(server.output()).not.toContain('failed to start');
}, 60_000);

it('gives up after DATABASE_WAIT_SECONDS when nothing answers: non-zero exit, the clear line, no stack, no password', async () => {
  const closed = await startTcpProxy({ host: '127.0.0.1', port: 1 }, { mode: 'refuse' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', DATABASE_URL: proxiedUrl(closed.port), DATABASE_WAIT_SECONDS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, out).not.toBe(0);
  expect(out).toContain(`Gatekeeper failed to start: Cannot reach PostgreSQL at 127.0.0.1:${closed.port}`);
  expect(out).toContain('connection refused (ECONNREFUSED). Gave up after 2 s (DATABASE_WAIT_SECONDS)');
  expect(out).not.toContain(PASSWORD);
  expect(out).not.toMatch(stackFrame);
}, 60_000);

it('starts without Redis, saying so in one line (REDIS_URL set, nothing answering there)', async () => {
  const redisProxy = await startTcpProxy({ host: '127.0.0.1', port: 1 }, { mode: 'refuse' });
  const redisUrl = new URL(testRedisUrl());
  redisUrl.password = PASSWORD;
  redisUrl.port = String(redisProxy.port);
  await dbProxy.forward();
  const server = await startServerProcess({ DATABASE_URL: proxiedUrl(dbProxy.port), REDIS_URL: redisUrl.toString() });
  servers.push(server);
  await waitFor(async () => server.output().includes('Cannot reach Redis at'), 'the Redis line', 15_000);
  expect(server.output()).toContain(`Cannot reach Redis at 127.0.0.1:${redisProxy.port}: connection refused (ECONNREFUSED). Running without it`);
  expect((await fetch(`${server.url}/trpc/catalog.listEvents`)).status).toBe(200);
  expect(server.output()).not.toContain(PASSWORD);
  await server.stop();
}, 90_000);
