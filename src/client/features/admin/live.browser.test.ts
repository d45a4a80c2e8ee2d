import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../modules/auth/index.ts';
import { createDevice } from '../../../modules/checkin/index.ts';
import { buyTickets } from '../../../testing/gate.ts';
import { testDeps } from '../../../testing/app.ts';
import { launchChromium, signInThroughForm, type TestBrowser } from '../../../testing/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../../testing/db.ts';
import { createTestEvent } from '../../../testing/fixtures.ts';
import { startServerProcess, type ServerProcess } from '../../../testing/server-process.ts';
import { systemClock } from '../../../shared/clock.ts';

/*
 * The live control room across processes: the page is served by process A; a scanner's scan goes to
 * process B; A's page shows it within 2 s, without a reload (SSE subscription fed by LISTEN/NOTIFY).
 */

let database: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;
let browser: TestBrowser;

beforeAll(async () => {
  database = await createTestDatabase();
  [a, b] = await Promise.all([startServerProcess({ DATABASE_URL: database.url! }), startServerProcess({ DATABASE_URL: database.url! })]);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

it('shows a scan made on another server process within 2 s, without reloading', async () => {
  const deps = { ...testDeps(database.db), clock: systemClock };
  const { eventId, ticketTypeIds } = await createTestEvent(deps.db, systemClock(), { ticketTypes: [{ name: 'Standard', priceCents: 0, capacity: 10 }] });
  const { tickets } = await buyTickets(deps, { eventId, ticketTypeId: ticketTypeIds[0]!, quantity: 3 });
  const { token } = await createDevice(deps.db, { eventId, name: 'South gate' }, null, systemClock());
  await createUser(deps.db, { email: 'live@example.com', password: 'watching the gates closely', role: 'viewer' });

  const page = await browser.context.newPage();
  await signInThroughForm(page, a.url, 'live@example.com', 'watching the gates closely');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`${a.url}/admin/events/${eventId}/live`);
  const checkedIn = page.getByTestId('live-checked-in');
  await expect.poll(() => checkedIn.textContent()).toBe('0 / 3');
  let navigations = 0;
  page.on('framenavigated', () => navigations++);

  const scan = (code: string) =>
    fetch(`${b.url}/trpc/checkin.scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ eventId, code }),
    }).then((r) => r.json());
  expect(await scan(tickets[0]!.code)).toMatchObject({ result: { data: { result: 'ok' } } });
  await expect.poll(() => checkedIn.textContent(), { timeout: 2000, interval: 100 }).toBe('1 / 3');
  await scan(tickets[0]!.code);
  await expect.poll(() => page.getByTestId('live-duplicates').textContent(), { timeout: 2000, interval: 100 }).toBe('1');
  await page.getByText('South gate:').waitFor();
  expect(navigations).toBe(0);
});
