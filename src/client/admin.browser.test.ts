import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callerFor, userCaller } from '../testing/app.ts';
import { signInThroughForm, startBrowserApp, type BrowserApp } from '../testing/browser.ts';

/* The organizer's pages in real Chromium: sign in, create an event, its ticket types and add-ons. */
let t: BrowserApp;
beforeAll(async () => {
  t = await startBrowserApp();
});

afterAll(() => t?.close());

const signIn = (page: Page, email: string, password: string) => signInThroughForm(page, t.base, email, password);

describe('admin in Chromium', () => {
  it('signs an admin in, creates an event with a ticket type and an add-on, signs out', async () => {
    const admin = await userCaller(t.deps, 'admin');
    const page = await t.browser.context.newPage();
    await signIn(page, admin.email, 'wrong password');
    await page.getByText('Sign-in failed').waitFor();

    await signIn(page, admin.email, admin.password);
    await page.getByText(`Signed in as ${admin.email}`).waitFor();
    const eventForm = page.getByRole('form', { name: 'Create event' });
    await eventForm.getByLabel('Name').fill('Jazz Night');
    await eventForm.getByLabel('Starts at').fill('2030-02-01T19:30');
    await eventForm.getByLabel('Venue (optional)').fill('Blue Hall');
    await eventForm.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Jazz Night' }).waitFor();
    const eventId = page.url().split('/').pop()!;

    const typeForm = page.getByRole('form', { name: 'Add ticket type' });
    await typeForm.getByLabel('Name').fill('Standing');
    await typeForm.getByLabel('Price (EUR)').fill('12,5x');
    await typeForm.getByRole('button', { name: 'Add ticket type' }).click();
    await typeForm.getByText('Enter a price in EUR, e.g. 12.50').waitFor();
    await typeForm.getByLabel('Price (EUR)').fill('12.50');
    await typeForm.getByLabel('Capacity').fill('40');
    await typeForm.getByRole('button', { name: 'Add ticket type' }).click();
    await page.getByRole('row', { name: /Standing/ }).waitFor();

    const addOnForm = page.getByRole('form', { name: 'Add add-on' });
    await addOnForm.getByLabel('Name').fill('Parking');
    await addOnForm.getByLabel('Price (EUR)').fill('5');
    await addOnForm.getByLabel('Max per ticket').fill('2');
    await addOnForm.getByRole('button', { name: 'Add add-on' }).click();
    await page.getByRole('row', { name: /Parking/ }).waitFor();
    expect(await page.getByRole('row', { name: /Standing/ }).locator('td').allTextContents()).toEqual(['€12.50', '40', '0', '0', '40', 'Edit']);
    expect(await page.getByRole('row', { name: /Parking/ }).locator('td').allTextContents()).toEqual([
      '€5.00',
      '2',
      'unlimited',
      '0',
      'unlimited',
      'Edit',
    ]);

    // What the forms stored: minor units, an absolute start, null capacity for "unlimited".
    const stored = await admin.caller.admin.getEvent({ eventId });
    expect(new Date(stored.startsAt).getTime()).toBe(new Date('2030-02-01T19:30').getTime());
    expect(stored.ticketTypes).toMatchObject([{ name: 'Standing', priceCents: 1250, capacity: 40 }]);
    expect(stored.addOns).toMatchObject([{ name: 'Parking', priceCents: 500, capacity: null, maxPerTicket: 2 }]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await callerFor(t.deps).catalog.listEvents()).toMatchObject([{ id: eventId, name: 'Jazz Night' }]);
    await page.close();
  });

  it('tells a staff account to use the scanner instead', async () => {
    const staff = await userCaller(t.deps, 'staff');
    const page = await t.browser.context.newPage();
    await signIn(page, staff.email, staff.password);
    await page.getByText('Staff accounts use the scanner.').waitFor();
    expect(await page.getByRole('form', { name: 'Create event' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Open the scanner' }).click();
    // The staff session carries over: the scanner asks which event to scan for.
    await page.getByRole('heading', { name: 'Which event?' }).waitFor();
    await page.close();
  });
});
