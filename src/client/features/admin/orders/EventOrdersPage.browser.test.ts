import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getOrder, placeOrder } from '../../../../modules/orders/index.ts';
import { completeTestPayment } from '../../../../modules/orders/service.ts';
import { buildApp } from '../../../../server/app.ts';
import { testDeps, userCaller } from '../../../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../../testing/db.ts';
import { createTestEvent, customer } from '../../../../testing/fixtures.ts';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let database: TestDatabase;
let browser: Browser;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

it('an admin sees the event’s orders and refunds a paid one in Chromium', async () => {
  const deps = testDeps(database.db);
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, deps.clock(), { ticketTypes: [{ priceCents: 2500, capacity: 5 }] });
  const placed = await placeOrder(deps, { eventId, customer: customer(7), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });
  await completeTestPayment(deps, { ...placed, action: 'pay' });
  const { code } = await getOrder(deps, placed);
  const admin = await userCaller(deps, 'admin');

  app = await buildApp({ deps, clientDir: path.resolve('dist/client') });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const page = await browser.newPage();
  await page.goto(base);
  const login = await page.evaluate(
    async (body) => (await fetch('/trpc/auth.login', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status,
    JSON.stringify({ email: admin.email, password: admin.password }),
  );
  expect(login).toBe(200);

  await page.goto(`${base}/admin/events/${eventId}/orders`);
  const row = page.locator('tr', { hasText: code });
  await row.getByText('paid', { exact: true }).waitFor();
  await expect(row.textContent()).resolves.toContain('customer7@example.com');
  page.once('dialog', (dialog) => void dialog.accept('venue closed'));
  await row.getByRole('button', { name: 'Refund' }).click();
  await row.getByText('cancelled', { exact: true }).waitFor();
  expect(await row.getByRole('button', { name: 'Refund' }).count()).toBe(0);
  expect((await getOrder(deps, placed)).status).toBe('cancelled');
});
