import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../modules/auth/index.ts';
import { useServedApp } from '../../../testing/browser.ts';
import { fakeCameraOf } from '../../../testing/camera.ts';
import { testDeps } from '../../../testing/app.ts';
import { buyTickets, gateEvent } from '../../../testing/gate.ts';
import { createDevice } from '../../../modules/checkin/index.ts';

/*
 * The scanner page in real Chromium. A real issued ticket's QR becomes the fake camera (a .y4m made
 * by ffmpeg), so the page decodes it with qr-scanner exactly as a phone would.
 */
const SHOTS = '/tmp/checkin-scanner';
const served = useServedApp();
let browser: Browser;
afterAll(() => browser?.close());

async function typeCode(page: Page, code: string) {
  for (const digit of code) await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: 'Check code' }).click();
}

const verdict = (page: Page) => page.getByTestId('scan-result');

describe('/scanner in Chromium', () => {
  it('admits a QR from the camera (green, right name), a code from the keypad (green), a repeat (amber)', async () => {
    const deps = testDeps(served.database.db);
    const event = await gateEvent(deps.db, deps.clock());
    const [dinner, drink] = event.addOnIds as [string, string];
    const buy = (name: string) =>
      buyTickets(deps, {
        eventId: event.eventId,
        ticketTypeId: event.ticketTypeIds[0]!,
        name,
        addOns: [
          { addOnId: dinner, quantity: 1 },
          { addOnId: drink, quantity: 2 },
        ],
      });
    const ada = (await buy('Ada Lovelace')).tickets[0]!;
    const alan = (await buy('Alan Turing')).tickets[0]!;
    const { token } = await createDevice(deps.db, { eventId: event.eventId, name: 'North gate' }, null, deps.clock());

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${await fakeCameraOf(ada.secret)}`,
      ],
    });
    const page = await browser.newPage({ viewport: { width: 412, height: 860 } });
    const problems: string[] = [];
    // Chromium's own favicon request 404s without a page-visible response; page requests are checked below.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${served.base}/scanner#device=${token}`);
    await page.getByRole('button', { name: 'Start scanning' }).click();
    expect(new URL(page.url()).hash).toBe('');

    await expect.poll(() => verdict(page).getAttribute('data-result'), { timeout: 20_000 }).toBe('ok');
    expect(await page.getByTestId('attendee-name').textContent()).toBe('Ada Lovelace');
    // Each unit is handed out once; the last one handed out can be given back.
    const drinks = page.getByTestId('add-on').filter({ hasText: 'Drink token' });
    await drinks.getByText('2 of 2 left').waitFor();
    await page.getByRole('button', { name: 'Redeem 1 Drink token' }).click();
    await drinks.getByText('1 of 2 left').waitFor();
    await page.getByRole('button', { name: 'Redeem 1 Drink token' }).click();
    await drinks.getByText('0 of 2 left').waitFor();
    await drinks.getByText('All redeemed').waitFor();
    await page.getByRole('button', { name: 'Undo: give back 1 Drink token' }).click();
    await drinks.getByText('1 of 2 left').waitFor();
    await page.getByRole('button', { name: 'Redeem 1 Dinner voucher' }).click();
    await page.getByTestId('add-on').filter({ hasText: 'Dinner voucher' }).getByText('All redeemed').waitFor();
    await page.screenshot({ path: `${SHOTS}-1-camera-ok.png` });
    await page.getByRole('button', { name: 'Next scan' }).click();

    await page.getByRole('button', { name: 'Enter a code' }).click();
    await typeCode(page, alan.code);
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('ok');
    expect(await page.getByTestId('attendee-name').textContent()).toBe('Alan Turing');
    await page.screenshot({ path: `${SHOTS}-2-keypad-ok.png` });
    await page.getByRole('button', { name: 'Next scan' }).click();

    await typeCode(page, ada.code);
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('already_checked_in');
    expect(await verdict(page).textContent()).toContain('by North gate');
    await page.screenshot({ path: `${SHOTS}-3-repeat-amber.png` });
    await page.getByRole('button', { name: 'Next scan' }).click();
    await expect.poll(() => page.getByTestId('checkin-count').textContent()).toBe('2 / 2 in');

    await typeCode(page, '000000' === ada.code ? '000001' : '000000');
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('invalid');
    await page.screenshot({ path: `${SHOTS}-4-unknown-red.png` });
    expect(problems).toEqual([]);
  });
});

describe('/admin/events/:eventId/devices in Chromium', () => {
  it('an admin adds a device; its enrolment link makes a browser that scanner; revoking locks it out', async () => {
    const deps = testDeps(served.database.db);
    const event = await gateEvent(deps.db, deps.clock());
    const email = `gate-admin-${Date.now()}@example.com`;
    await createUser(deps.db, { email, password: 'correct horse battery', role: 'admin' });
    browser ??= await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });

    const admin = await browser.newPage();
    await admin.goto(`${served.base}/admin/events/${event.eventId}/devices`);
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Password').fill('correct horse battery');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByLabel('Device name').fill('Side door');
    await admin.getByRole('button', { name: 'Add device' }).click();
    const link = (await admin.getByTestId('enrolment-link').textContent())!;
    expect(link).toMatch(new RegExp(`^${served.base}/scanner#device=[A-Za-z0-9_-]{43}$`));
    await admin.getByRole('img', { name: 'Enrolment QR code' }).waitFor();
    await admin.screenshot({ path: `${SHOTS}-5-devices.png`, fullPage: true });

    const phone = await browser.newContext();
    const scanner = await phone.newPage();
    await scanner.goto(link);
    await scanner.getByText('Scanning as Side door').waitFor();

    await admin.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByText(/^revoked/).waitFor();
    await scanner.reload();
    await scanner.getByText('This device is no longer enrolled').waitFor();
    await phone.close();
  });
});
