import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../server/app.ts';
import { testDeps } from './app.ts';
import { afterAll, beforeAll } from 'vitest';
import { systemClock } from '../shared/clock.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** The flags every browser test runs Chromium with: headless, no sandbox, no network of its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type TestBrowser = { context: BrowserContext; close(): Promise<void> };

/** Real Chromium (/usr/bin/chromium, or CHROMIUM_PATH) with a fresh profile that close() deletes. */
export async function launchChromium(
  opts: { extraArgs?: string[]; viewport?: { width: number; height: number }; /** The browser's own zone (IANA). */ timezoneId?: string } = {},
): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'gk-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
    viewport: opts.viewport ?? { width: 1024, height: 900 },
    timezoneId: opts.timezoneId,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export type BrowserApp = Awaited<ReturnType<typeof startBrowserApp>>;

/**
 * What a browser test drives: the real app serving the built SPA on a free port, over a fresh PostgreSQL
 * database, and Chromium. close() stops all three.
 */
export async function startBrowserApp(opts: { timezoneId?: string } = {}) {
  const db = await createTestDatabase();
  const deps = testDeps(db.db);
  const app = await buildApp({ deps, clientDir: 'dist/client' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  // Links the server hands out (payment returns) must point at this port, known only after listen.
  deps.config.publicUrl = base;
  const browser = await launchChromium({ timezoneId: opts.timezoneId });
  return {
    db,
    deps,
    base,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await db.drop();
    },
  };
}

/** Signs in through the admin page's form (the outcome is the caller's to wait for). */
export async function signInThroughForm(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/admin`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * For one browser test file: the real app serving the built SPA on a free port over a fresh database,
 * on the system clock (the browser's); opened in beforeAll, closed and dropped in afterAll. Read
 * `served.base` / `served.database` inside tests.
 */
export function useServedApp() {
  const served = {} as { database: TestDatabase; base: string };
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  beforeAll(async () => {
    served.database = await createTestDatabase();
    app = await buildApp({ deps: { ...testDeps(served.database.db), clock: systemClock }, clientDir: path.resolve('dist/client') });
    served.base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await served.database?.drop();
  });
  return served;
}
