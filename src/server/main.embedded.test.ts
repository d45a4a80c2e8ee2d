import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postTrpc } from '../testing/http.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { waitFor } from '../testing/notifications.ts';

/*
 * `npm start` on a fresh clone: the real main.ts, embedded PGlite under DATA_DIR, no other configuration.
 * A fresh PGlite directory takes seconds on an idle machine and over a minute on a loaded one: long timeouts.
 */

const dirs: string[] = [];
const running: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gk-embedded-'));
  dirs.push(dir);
  return dir;
}

// Blank out anything the developer's shell may have set, so the embedded default is what runs
// (startServerProcess turns the demo seed off; here it is on, as for `npm start`).
const embedded = (env: Record<string, string>) =>
  startServerProcess({ DATABASE_URL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', SEED_DEMO: 'true', LOG_LEVEL: 'error', ...env }, 240_000).then((s) => (running.push(s), s));

const eventNames = async (url: string) => {
  const res = await fetch(`${url}/trpc/catalog.listEvents`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { name: string }[] } }).result.data.map((e) => e.name);
};

/** Buys the demo's free ticket and reads the order (token in the query string): the request log must not show it. */
async function expectOrderTokensKeptOutOfLogs(server: ServerProcess) {
  const list = (await (await fetch(`${server.url}/trpc/catalog.listEvents`)).json()) as { result: { data: { id: string }[] } };
  const eventId = list.result.data[0]!.id;
  const event = (await (await fetch(`${server.url}/trpc/catalog.getEvent?input=${encodeURIComponent(JSON.stringify({ eventId }))}`)).json()) as {
    result: { data: { ticketTypes: { id: string; priceCents: number }[] } };
  };
  const free = event.result.data.ticketTypes.find((t) => t.priceCents === 0)!;
  const placed = await postTrpc(server.url, 'orders.create', {
    eventId,
    customer: { name: 'Log Reader', email: 'logs@example.com' },
    lines: [{ ticketTypeId: free.id, quantity: 1 }],
  });
  const { orderId, token } = placed.body!.result!.data as { orderId: string; token: string };
  expect((await postTrpc(server.url, 'orders.get', { orderId, token })).status).toBe(200);
  // The child's log line may reach us a moment after the answer.
  await waitFor(async () => server.output().includes('/trpc/orders.get'), 'the orders.get request log line', 5000);
  expect(server.output()).not.toContain(token);
}

describe('the embedded default', () => {
  it('prints the URLs and a generated admin password once, seeds the demo once, and keeps data across a restart', async () => {
    const dir = dataDir();
    const first = await embedded({ DATA_DIR: dir });
    const out = first.output();
    expect(out).toContain(`embedded PGlite in ${dir}`);
    expect(out).toContain(`Storefront: ${first.url}/`);
    expect(out).toContain(`Admin:      ${first.url}/admin`);
    expect(out).toContain(`Scanner:    ${first.url}/scanner`);
    const [, email, password] = /First admin \(shown once\): (\S+) \/ (\S+)/.exec(out) ?? [];
    expect(email).toBe('admin@example.com');
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect((await postTrpc(first.url, 'auth.login', { email, password })).status).toBe(200);
    expect(await eventNames(first.url)).toEqual(['Demo Night: Open Source Live']);
    expect(await first.stop()).toBe(0);

    const second = await embedded({ DATA_DIR: dir, LOG_LEVEL: 'info', LOG_REQUESTS: 'true' });
    expect(second.output()).not.toContain('First admin');
    expect(await eventNames(second.url)).toEqual(['Demo Night: Open Source Live']);
    await expectOrderTokensKeptOutOfLogs(second);
    // The password printed on the first start still works: the same users table survived.
    expect((await postTrpc(second.url, 'auth.login', { email, password })).status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 600_000);

  it('SEED_DEMO=false seeds nothing', async () => {
    const server = await embedded({ DATA_DIR: dataDir(), SEED_DEMO: 'false' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await eventNames(server.url)).toEqual([]);
    expect(await server.stop()).toBe(0);
  }, 300_000);

  it('a bad setting stops the start with a clear message', async () => {
    await expect(embedded({ DATA_DIR: dataDir(), ADMIN_EMAIL: 'boss@example.com' })).rejects.toThrow(
      /exited with 1[\s\S]*ADMIN_EMAIL and ADMIN_PASSWORD must be set together/,
    );
  });
});
