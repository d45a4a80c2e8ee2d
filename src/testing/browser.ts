import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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
export async function launchChromium(opts: { extraArgs?: string[]; viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'gk-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
    viewport: opts.viewport ?? { width: 1024, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
