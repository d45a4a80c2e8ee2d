import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testDeps } from '../../testing/app.ts';
import { useTestDatabase } from '../../testing/suite.ts';

/* The installable scanner as the server hands it out (the SPA is built by the test setup). */
const suite = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  app = await buildApp({ deps: testDeps(suite.database.db), clientDir: path.resolve('dist/client'), logger: { level: 'error' } });
});
afterAll(() => app?.close());

describe('the scanner app shell', () => {
  it('serves the service worker uncached, allowed for /scanner, listing the built assets', async () => {
    const res = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['service-worker-allowed']).toBe('/scanner');
    expect(res.headers['content-security-policy']).toMatch(/worker-src 'self' blob:/);
    const assets = JSON.parse(/const ASSETS = (\[.*\]);/.exec(res.body)![1]!) as string[];
    expect(assets.some((a) => /^assets\/index-.*\.js$/.test(a))).toBe(true);
    for (const a of assets) expect((await app.inject({ method: 'GET', url: `/${a}` })).statusCode, a).toBe(200);
    expect(res.body).not.toContain('self.__ASSETS__');
  });

  it('serves the manifest and the page the worker caches (revalidated on every load)', async () => {
    const manifest = await app.inject({ method: 'GET', url: '/scanner.webmanifest' });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.json()).toMatchObject({ start_url: '/scanner', scope: '/scanner', display: 'standalone' });
    for (const url of ['/index.html', '/scanner']) {
      const page = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['cache-control'], url).toBe('no-cache');
    }
  });
});
