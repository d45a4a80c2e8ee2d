import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionCaller, signIn, userCaller } from '../testing/app.ts';
import { signInThroughForm, startBrowserApp, type BrowserApp } from '../testing/browser.ts';

/* Accounts and event settings in real Chromium: /admin/users and the edit form on /admin/events/:eventId. */
let t: BrowserApp;
beforeAll(async () => {
  t = await startBrowserApp();
});

afterAll(() => t?.close());
// One browser profile for the file: each test signs in afresh.
beforeEach(() => t.browser.context.clearCookies());

describe('admin accounts and event settings in Chromium', () => {
  it('creates a staff account on /admin/users (EMAIL_TAKEN at the email field), then disables it', async () => {
    const admin = await userCaller(t.deps, 'admin');
    const page = await t.browser.context.newPage();
    await signInThroughForm(page, t.base, admin.email, admin.password);
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    expect(await page.getByRole('row', { name: new RegExp(admin.email) }).locator('td').last().textContent()).toBe('you');

    const form = page.getByRole('form', { name: 'Create user' });
    const email = form.getByLabel('Email');
    await email.fill(admin.email);
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByText('Use at least 10 characters').waitFor();

    await form.getByLabel('Password').fill('gate staff pw 1');
    await form.getByRole('button', { name: 'Create user' }).click();
    // At the email field itself (the alert above the button repeats it with a headline).
    await form.locator('.field-error', { hasText: 'A user with this email already exists' }).waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('alert').getByText('Email already in use').waitFor();

    await email.fill('door.one@example.com');
    await form.getByLabel('Password').fill('gate staff pw 1');
    await form.getByLabel('Role').selectOption('staff');
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByRole('row', { name: /door\.one@example\.com/ });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).filter((_, i) => i !== 1)).toEqual(['staff', 'active', 'Disable']);

    // The password typed in the form is the one stored: the new account signs in with it.
    const token = await signIn(t.deps, 'door.one@example.com', 'gate staff pw 1');
    expect((await sessionCaller(t.deps, token).auth.me()).user?.role).toBe('staff');

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByRole('button', { name: 'Enable' }).waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('disabled');
    expect((await sessionCaller(t.deps, token).auth.me()).user).toBeNull();

    const own = page.getByRole('form', { name: 'Change your password' });
    await own.getByLabel('Current password').fill('not the password');
    await own.getByLabel('New password', { exact: true }).fill('a fresh admin secret');
    await own.getByLabel('New password again').fill('a fresh admin secret');
    await own.getByRole('button', { name: 'Change password' }).click();
    await own.locator('.field-error', { hasText: 'The current password is wrong' }).waitFor();
    await own.getByLabel('Current password').fill(admin.password);
    await own.getByRole('button', { name: 'Change password' }).click();
    await own.getByText('Password changed.').waitFor();
    await signIn(t.deps, admin.email, 'a fresh admin secret');
    await page.close();
  });

  it('edits an event: sales window from datetime-local fields, publish toggle, sale status', async () => {
    const admin = await userCaller(t.deps, 'admin');
    const { eventId } = await admin.caller.admin.createEvent({ name: 'Open Air', startsAt: '2031-06-01T18:00:00Z', currency: 'EUR' });
    const page = await t.browser.context.newPage();
    await signInThroughForm(page, t.base, admin.email, admin.password);
    await page.getByText(`Signed in as ${admin.email}`).waitFor();
    await page.goto(`${t.base}/admin/events/${eventId}`);
    await page.getByText('On sale', { exact: true }).waitFor();

    const form = page.getByRole('form', { name: 'Edit event' });
    await form.getByLabel('Sales start (optional)').fill('2031-05-01T10:00');
    await form.getByLabel('Sales end (optional)').fill('2031-04-01T10:00');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.locator('.field-error', { hasText: 'Sales must start before they end' }).waitFor();
    expect(await form.getByLabel('Sales end (optional)').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Sales end (optional)').fill('2031-05-31T23:00');
    await form.getByLabel('Name').fill('Open Air Festival');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open Air Festival' }).waitFor();
    await page.getByText('Sales not started yet').waitFor();
    const saved = await admin.caller.admin.getEvent({ eventId });
    expect(saved.salesStartAt).toBe(new Date('2031-05-01T10:00').toISOString());
    expect(saved.salesEndAt).toBe(new Date('2031-05-31T23:00').toISOString());
    expect(saved.startsAt).toBe('2031-06-01T18:00:00.000Z');

    await page.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByText('Unpublished', { exact: true }).waitFor();
    expect((await admin.caller.admin.getEvent({ eventId })).published).toBe(false);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Sales not started yet').waitFor();
    await page.close();
  });
});
