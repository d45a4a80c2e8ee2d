import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createUser } from '../../../modules/auth/index.ts';
import { createDevice } from '../../../modules/checkin/index.ts';
import { buyTickets, gateEvent } from '../../../testing/gate.ts';
import { testDeps } from '../../../testing/app.ts';
import { CHROMIUM_ARGS, useServedApp } from '../../../testing/browser.ts';
import { fakeCameraOf } from '../../../testing/camera.ts';
import { queryRows } from '../../../testing/db.ts';
import { forgedQrOf } from '../../../testing/ticket-qr.ts';

/*
 * The offline gate in real Chromium: two phones (browser contexts) enrolled for one event download the
 * snapshot, lose the network, reload the page from the service worker, and keep admitting people —
 * camera (Chromium's fake camera playing a real ticket's QR, made with ffmpeg), keypad and a keyboard-mode
 * hardware scanner — and on reconnecting the server holds exactly one check-in per ticket and one conflict.
 */
const SHOTS = '/tmp/checkin-offline';
const served = useServedApp();
let browser: Browser;
afterAll(() => browser?.close());

const verdict = (page: Page) => page.getByTestId('scan-result');
const syncStatus = (page: Page) => page.getByTestId('sync-status');

/** Opens the enrolment link and waits for the snapshot and the service worker controlling the page. */
async function enrolledPhone(context: BrowserContext, token: string) {
  const page = await context.newPage();
  await page.goto(`${served.base}/scanner#device=${token}`);
  await expect.poll(() => syncStatus(page).getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The first load was not controlled yet (the worker installed meanwhile): a reload online makes it so.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => syncStatus(page).getAttribute('data-ready')).toBe('true');
  return page;
}

/** Network off, then the page reloaded: it must come from the service worker's cache. */
async function reloadOffline(context: BrowserContext, page: Page) {
  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  expect(await page.evaluate(() => fetch('/trpc/health.ping').then(() => 'reached', () => 'unreachable'))).toBe('unreachable');
  await expect.poll(() => syncStatus(page).getAttribute('data-online')).toBe('false');
  await page.getByRole('button', { name: 'Start scanning' }).click();
}

/** A keyboard-mode scanner: the QR's text, then Enter. */
async function hardwareScan(page: Page, text: string) {
  await page.keyboard.type(text, { delay: 0 });
  await page.keyboard.press('Enter');
}

describe('/scanner offline in Chromium', () => {
  it('admits from the snapshot offline (camera, scanner, keypad), uploads once, and reports a two-device conflict', async () => {
    const deps = testDeps(served.database.db);
    const event = await gateEvent(deps.db, deps.clock());
    const buy = async (name: string) => (await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, name })).tickets[0]!;
    const ada = await buy('Ada Lovelace');
    const alan = await buy('Alan Turing');
    const grace = await buy('Grace Hopper');
    const north = await createDevice(deps.db, { eventId: event.eventId, name: 'North gate' }, null, deps.clock());
    const south = await createDevice(deps.db, { eventId: event.eventId, name: 'South gate' }, null, deps.clock());
    const email = `offline-admin-${Date.now()}@example.com`;
    await createUser(deps.db, { email, password: 'correct horse battery', role: 'admin' });

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${await fakeCameraOf(ada.secret)}`],
    });
    const phoneA = await browser.newContext({ viewport: { width: 412, height: 860 } });
    const phoneB = await browser.newContext({ viewport: { width: 412, height: 860 } });
    const a = await enrolledPhone(phoneA, north.token);
    const b = await enrolledPhone(phoneB, south.token);
    const problems: string[] = [];
    a.on('pageerror', (e) => problems.push(e.message));

    await reloadOffline(phoneA, a);
    // The camera sees Ada's QR: green, judged on the phone.
    await expect.poll(() => verdict(a).getAttribute('data-result'), { timeout: 20_000 }).toBe('ok');
    expect(await verdict(a).getAttribute('data-offline')).toBe('true');
    expect(await a.getByTestId('attendee-name').textContent()).toBe('Ada Lovelace');
    await a.screenshot({ path: `${SHOTS}-1-camera-green-offline.png` });
    await a.getByRole('button', { name: 'Next scan' }).click();

    // The same ticket again, from a hardware scanner: amber at once.
    await hardwareScan(a, ada.secret);
    await expect.poll(() => verdict(a).getAttribute('data-result')).toBe('already_checked_in');
    await a.screenshot({ path: `${SHOTS}-2-repeat-amber-offline.png` });
    await a.getByRole('button', { name: 'Next scan' }).click();

    // A forged QR (Alan's ids, a made-up signature): red without any lookup.
    await hardwareScan(a, forgedQrOf(alan.secret));
    await expect.poll(() => verdict(a).getAttribute('data-result')).toBe('invalid');
    expect(await verdict(a).textContent()).toContain('Forged');
    await a.getByRole('button', { name: 'Next scan' }).click();

    // Grace's code on the keypad, then Alan's typed on a hardware keyboard: both green offline.
    await a.getByRole('button', { name: 'Enter a code' }).click();
    for (const digit of grace.code) await a.getByRole('button', { name: digit, exact: true }).click();
    await a.getByRole('button', { name: 'Check code' }).click();
    await expect.poll(() => verdict(a).getAttribute('data-result')).toBe('ok');
    expect(await a.getByTestId('attendee-name').textContent()).toBe('Grace Hopper');
    await a.getByRole('button', { name: 'Next scan' }).click();
    await hardwareScan(a, alan.code);
    await expect.poll(() => verdict(a).getAttribute('data-result')).toBe('ok');
    expect(await verdict(a).getAttribute('data-offline')).toBe('true');
    await a.getByRole('button', { name: 'Next scan' }).click();
    await expect.poll(() => syncStatus(a).textContent()).toMatch(/^offline for \d+ s, 5 scans waiting$/);
    await a.screenshot({ path: `${SHOTS}-3-offline-queue.png` });

    // Meanwhile the other phone, also offline, admits Ada too (its camera sees the same QR).
    await reloadOffline(phoneB, b);
    await expect.poll(() => verdict(b).getAttribute('data-result'), { timeout: 20_000 }).toBe('ok');
    expect(await verdict(b).getAttribute('data-offline')).toBe('true');

    // Nothing reached the server so far.
    const checkins = () => queryRows<{ ticket_id: string; device_id: string }>(deps.db, sql`SELECT ticket_id, device_id FROM ticket_checkins WHERE event_id = ${event.eventId}::uuid`);
    expect(await checkins()).toEqual([]);

    // Back online: A uploads first and keeps Ada; B's upload is a conflict it shows.
    await phoneA.setOffline(false);
    await expect.poll(() => syncStatus(a).getAttribute('data-queued'), { timeout: 20_000 }).toBe('0');
    await phoneB.setOffline(false);
    await expect.poll(() => syncStatus(b).getAttribute('data-queued'), { timeout: 20_000 }).toBe('0');
    await expect.poll(() => b.getByTestId('sync-conflicts').textContent(), { timeout: 10_000 }).toContain('Ada Lovelace');
    expect(await b.getByTestId('sync-conflicts').textContent()).toContain('North gate');
    await b.screenshot({ path: `${SHOTS}-4-conflict-on-device.png` });

    const rows = await checkins();
    expect(rows.map((r) => r.ticket_id).sort()).toEqual([ada.id, alan.id, grace.id].sort());
    expect(rows.find((r) => r.ticket_id === ada.id)!.device_id).toBe(north.deviceId);
    await expect.poll(() => syncStatus(a).textContent()).toMatch(/^synced \d+ s ago$/);

    // The organizer sees the conflict: ticket, both devices.
    const admin = await browser.newPage();
    await admin.goto(`${served.base}/admin/events/${event.eventId}/devices`);
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Password').fill('correct horse battery');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    const list = admin.getByTestId('checkin-conflicts');
    await expect.poll(() => list.textContent(), { timeout: 15_000 }).toContain(`Ada Lovelace · ${ada.code}`);
    expect(await list.textContent()).toMatch(/North gate.*South gate/);
    await admin.screenshot({ path: `${SHOTS}-5-admin-conflicts.png`, fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  it('keeps what it showed green when the tab closes; continuous mode; exit mode offline; a revoked device wipes its data', async () => {
    const deps = testDeps(served.database.db);
    const event = await gateEvent(deps.db, deps.clock());
    const { tickets } = await buyTickets(deps, { eventId: event.eventId, ticketTypeId: event.ticketTypeIds[0]!, quantity: 3, name: 'Katherine Johnson' });
    const [k1, k2, k3] = tickets as [(typeof tickets)[0], (typeof tickets)[0], (typeof tickets)[0]];
    const gate = await createDevice(deps.db, { eventId: event.eventId, name: 'East gate' }, null, deps.clock());
    // A browser without the fake camera (the first test's shows another event's QR): scans come from the "hardware scanner".
    const quiet = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    onTestFinished(() => quiet.close());
    const phone = await quiet.newContext({ viewport: { width: 412, height: 860 } });
    let page = await enrolledPhone(phone, gate.token);
    await reloadOffline(phone, page);

    // Green, and the tab is closed at once: the scan was stored before the screen turned green.
    await hardwareScan(page, k1.secret);
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('ok');
    await page.close();
    page = await phone.newPage();
    await page.goto(`${served.base}/scanner`);
    await page.getByRole('button', { name: 'Start scanning' }).click();

    // Continuous mode: green clears itself, amber waits for a tap.
    await page.getByLabel('After green').selectOption({ label: 'next after 1 s' });
    await hardwareScan(page, k2.secret);
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('ok');
    await expect.poll(() => verdict(page).count(), { timeout: 5000 }).toBe(0);
    await hardwareScan(page, k2.secret);
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('already_checked_in');
    await page.waitForTimeout(1500);
    expect(await verdict(page).getAttribute('data-result')).toBe('already_checked_in');
    await page.getByRole('button', { name: 'Next scan' }).click();

    // Exit mode, offline: k2 goes out; k3 never came in.
    await phone.setOffline(false);
    await expect.poll(() => syncStatus(page).getAttribute('data-queued'), { timeout: 20_000 }).toBe('0');
    await phone.setOffline(true);
    await page.getByRole('button', { name: 'Exit' }).click();
    await hardwareScan(page, k2.secret);
    await expect.poll(() => verdict(page).textContent()).toContain('EXIT OK');
    expect(await verdict(page).getAttribute('data-offline')).toBe('true');
    await expect.poll(() => verdict(page).count(), { timeout: 5000 }).toBe(0);
    await hardwareScan(page, k3.code);
    await expect.poll(() => verdict(page).getAttribute('data-result')).toBe('not_inside');
    await page.getByRole('button', { name: 'Next scan' }).click();
    await phone.setOffline(false);
    await expect.poll(() => syncStatus(page).getAttribute('data-queued'), { timeout: 20_000 }).toBe('0');

    const rows = await queryRows<{ ticket_id: string; exits: number }>(
      deps.db,
      sql`SELECT ticket_id, exits FROM ticket_checkins WHERE event_id = ${event.eventId}::uuid ORDER BY exits`,
    );
    expect(rows.map((r) => [r.ticket_id, Number(r.exits)])).toEqual([[k1.id, 0], [k2.id, 1]]);

    // Revoked: the next sync round is refused, the page deletes its snapshot and queue.
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('gatekeeper-gate');
    await deps.db.execute(sql`UPDATE devices SET revoked_at = now() WHERE id = ${gate.deviceId}::uuid`);
    await page.getByText('This device is no longer enrolled').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('gatekeeper-gate');
    await phone.close();
  }, 120_000);
});
