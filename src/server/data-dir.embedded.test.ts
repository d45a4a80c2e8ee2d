import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postTrpc } from '../testing/http.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';

/*
 * DATA_DIR holds customers' data and the signing secrets: the real main.ts on embedded PGlite must leave
 * nothing in it that another local user can read — also when DATA_DIR comes from an older version.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-modes-'));
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every path under `dir` (itself included) whose mode is not 0700 for a directory or 0600 for a file. */
function openPaths(dir: string): string[] {
  const open: string[] = [];
  const walk = (p: string) => {
    const stat = lstatSync(p);
    const mode = stat.mode & 0o777;
    if (mode !== (stat.isDirectory() ? 0o700 : 0o600)) open.push(`${path.relative(dataDir, p) || '.'} ${mode.toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
  return open;
}

async function waitForOutboxEmail(timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const names = (() => {
      try {
        return readdirSync(path.join(dataDir, 'outbox'));
      } catch {
        return [];
      }
    })();
    if (names.some((n) => n.endsWith('.html'))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no email reached DATA_DIR/outbox in time');
}

describe('DATA_DIR file modes', () => {
  it('directories 0700 and files 0600: PGlite, the secret, outbox files, and what an older version left readable', async () => {
    // An install from before: world-readable directory, secret and outbox.
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'secret'), randomBytes(32).toString('base64url') + '\n', { mode: 0o644 });
    mkdirSync(path.join(dataDir, 'outbox'), { mode: 0o755 });
    writeFileSync(path.join(dataDir, 'outbox', 'old-sms.txt'), 'To: +15005550006\n\nhello\n', { mode: 0o644 });
    chmodSync(path.join(dataDir, 'outbox', 'old-sms.txt'), 0o644);

    server = await startServerProcess(
      { DATA_DIR: dataDir, DATABASE_URL: '', APP_SECRET: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', SES_FROM: '', TWILIO_ACCOUNT_SID: '', SEED_DEMO: 'true', LOG_LEVEL: 'error' },
      240_000,
    );
    const events = (await (await fetch(`${server.url}/trpc/catalog.listEvents`)).json()) as { result: { data: { id: string }[] } };
    const eventId = events.result.data[0]!.id;
    const event = (await (await fetch(`${server.url}/trpc/catalog.getEvent?input=${encodeURIComponent(JSON.stringify({ eventId }))}`)).json()) as {
      result: { data: { ticketTypes: { id: string; priceCents: number }[] } };
    };
    const free = event.result.data.ticketTypes.find((t) => t.priceCents === 0)!;
    const placed = await postTrpc(server.url, 'orders.create', {
      eventId,
      customer: { name: 'Mode Checker', email: 'modes@example.com' },
      lines: [{ ticketTypeId: free.id, quantity: 1 }],
    });
    expect(placed.status).toBe(200);
    await waitForOutboxEmail(60_000);

    expect(openPaths(dataDir)).toEqual([]);
    expect(await server.stop()).toBe(0);
    expect(openPaths(dataDir)).toEqual([]);
  }, 600_000);
});
