import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, testConfig } from '../config.ts';
import { testDeps } from '../testing/app.ts';
import { useTestDatabase } from '../testing/suite.ts';
import { buildApp } from './app.ts';

/*
 * TRUST_PROXY as a deployment sets it: req.ip is the last X-Forwarded-For entry a trusted proxy added,
 * and entries a client writes in front of it change nothing, least of all the login limiter's key.
 */

const suite = useTestDatabase();
const apps: FastifyInstance[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

const LOGIN_LIMIT = 3;

async function appTrusting(TRUST_PROXY: string) {
  const { trustProxy } = loadConfig({ TRUST_PROXY });
  const deps = testDeps(suite.deps.db, { config: { trustProxy, limits: { ...testConfig().limits, loginPerMinute: LOGIN_LIMIT } } });
  const app = await buildApp({ deps });
  app.get('/test/ip', async (req) => ({ ip: req.ip }));
  apps.push(app);
  return app;
}

const spoofed = () => `${randomBytes(1)[0]! % 200 + 1}.${randomBytes(3).join('.')}`;
const clientIp = () => `198.18.${randomBytes(2).join('.')}`;

const ipSeen = async (app: FastifyInstance, xff: string, remoteAddress = '127.0.0.1') =>
  (await app.inject({ url: '/test/ip', headers: { 'x-forwarded-for': xff }, remoteAddress })).json().ip as string;

/** auth.login from `remoteAddress` with the given X-Forwarded-For; the HTTP status. */
const login = async (app: FastifyInstance, xff: string, remoteAddress = '127.0.0.1') =>
  (
    await app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
      // A fresh email per attempt: this is about the per-address limit, not the per-account lockout.
      payload: JSON.stringify({ email: `nobody-${randomBytes(4).toString('hex')}@example.com`, password: 'not the password' }),
      remoteAddress,
    })
  ).statusCode;

describe('TRUST_PROXY=1 (one proxy in front)', () => {
  it('takes the entry our proxy added, not the ones before it', async () => {
    const app = await appTrusting('1');
    expect(await ipSeen(app, '6.6.6.6, 1.2.3.4')).toBe('1.2.3.4');
    expect(await ipSeen(app, '1.2.3.4')).toBe('1.2.3.4');
  });

  it('a spoofed leading entry, new on every attempt, does not get past the login limit', async () => {
    const app = await appTrusting('1');
    const client = clientIp();
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_LIMIT + 1; i++) statuses.push(await login(app, `${spoofed()}, ${client}`));
    expect(statuses).toEqual([...Array(LOGIN_LIMIT).fill(401), 429, 429]);
    // Someone else behind the same proxy still may try.
    expect(await login(app, `${spoofed()}, ${clientIp()}`)).toBe(401);
  });
});

describe('TRUST_PROXY as addresses and CIDRs', () => {
  const proxies = '127.0.0.1/32, 10.0.0.0/8';

  it('walks back through the trusted proxies to the first address that is not one of them', async () => {
    const app = await appTrusting(proxies);
    // client 1.2.3.4 → load balancer 10.1.2.3 → local reverse proxy 127.0.0.1 → us
    expect(await ipSeen(app, '6.6.6.6, 1.2.3.4, 10.1.2.3')).toBe('1.2.3.4');
    expect(await ipSeen(app, '6.6.6.6, 1.2.3.4')).toBe('1.2.3.4');
    // A peer that is not a trusted proxy is the client, whatever it writes.
    expect(await ipSeen(app, '1.2.3.4', '203.0.113.9')).toBe('203.0.113.9');
  });

  it('a spoofed leading entry does not get past the login limit', async () => {
    const app = await appTrusting(proxies);
    const client = clientIp();
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_LIMIT + 1; i++) statuses.push(await login(app, `${spoofed()}, ${client}, 10.9.8.7`));
    expect(statuses).toEqual([...Array(LOGIN_LIMIT).fill(401), 429, 429]);
  });
});

describe('TRUST_PROXY off', () => {
  it('ignores X-Forwarded-For: the socket peer is the client', async () => {
    const app = await appTrusting('false');
    expect(await ipSeen(app, '1.2.3.4', '203.0.113.10')).toBe('203.0.113.10');
  });
});
