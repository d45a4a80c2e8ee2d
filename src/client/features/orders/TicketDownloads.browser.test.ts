import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadPassesConfig } from '../../../modules/passes/index.ts';
import { placeOrder } from '../../../modules/orders/index.ts';
import { orderPageUrl } from '../../../modules/orders/service.ts';
import { startBrowserApp, type BrowserApp } from '../../../testing/browser.ts';
import { pdfPages, testAppleCredentials, testGoogleCredentials } from '../../../testing/documents.ts';
import { createTestEvent, customer } from '../../../testing/fixtures.ts';

/* The order page's downloads and wallet buttons in real Chromium: shown only when configured, and they work. */

let world: BrowserApp;
beforeAll(async () => {
  world = await startBrowserApp();
});
afterAll(async () => {
  await world?.close();
});

it('downloads the tickets PDF and the calendar entry, and shows wallet buttons only for configured wallets', async () => {
  const { deps, base, browser } = world;
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock());
  const placed = await placeOrder(deps, { eventId, customer: customer(7), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
  const page = await browser.context.newPage();
  await page.goto(orderPageUrl(base, placed.orderId, placed.token));
  await page.getByRole('heading', { name: 'Your tickets' }).waitFor();
  expect(await page.getByLabel(/^Ticket for/).count()).toBe(2);
  expect(await page.getByRole('link', { name: /Wallet/ }).count()).toBe(0);

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download tickets (PDF)' }).click()]);
  const pages = await pdfPages(await readFile((await pdf.path())!));
  expect(pages).toHaveLength(2);
  const codes = await page.getByTestId('ticket-code').allTextContents();
  codes.forEach((code, i) => expect(pages[i]!.text).toContain(code));
  const [ics] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Add to calendar' }).click()]);
  expect(await readFile((await ics.path())!, 'utf8')).toContain('BEGIN:VEVENT');

  deps.config.passes = loadPassesConfig({ ...testAppleCredentials().env, ...testGoogleCredentials().env });
  await page.reload();
  const first = page.getByLabel(/^Ticket for/).first();
  const [pass] = await Promise.all([page.waitForEvent('download'), first.getByRole('link', { name: 'Add to Apple Wallet' }).click()]);
  expect(pass.suggestedFilename()).toBe(`ticket-${codes[0]}.pkpass`);
  expect(await first.getByRole('link', { name: 'Save to Google Wallet' }).getAttribute('href')).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
  await page.close();
});
