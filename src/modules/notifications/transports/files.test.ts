import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTicketsEmail } from '../render.ts';
import { devOutboxDir, fileEmailTransport, fileSmsTransport } from './files.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-outbox-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const EVIL = 'x ---><script>alert(1)</script>';

describe('the dev outbox files', () => {
  it("an event name can't break out of the .html preview's header comment", async () => {
    const email = await renderTicketsEmail(
      {
        orderId: '00000000-0000-4000-8000-0000000000aa',
        orderCode: 'ABCD2345',
        customer: { name: 'Ada --!> <b>', email: 'ada@example.com', phone: null },
        event: { id: '00000000-0000-4000-8000-0000000000bb', name: EVIL, startsAt: '2030-06-01T18:00:00Z', timeZone: 'UTC', venue: null },
        total: { amountCents: 0, currency: 'EUR' },
        tickets: [{ id: '00000000-0000-4000-8000-000000000001', code: '123456', secret: 'secret', ticketTypeName: 'GA', attendeeName: 'Ada', addOns: [] }],
        link: 'http://localhost:3000/orders/1#token=t',
      },
      'paid',
    );
    expect(email.subject).toContain(EVIL);
    const { providerMessageId } = await fileEmailTransport(dataDir).send(email);
    const html = readFileSync(path.join(devOutboxDir(dataDir), providerMessageId.replace(/\.eml$/, '.html')), 'utf8');
    const [firstLine] = html.split('\n');
    // The comment opens at the start and its first possible end is the end of the header line.
    expect(firstLine).toMatch(/^<!-- To: .* -->$/);
    expect(html.indexOf('-->')).toBe(firstLine!.length - 3);
    expect(firstLine!.slice(0, -3)).not.toMatch(/--!?>|>/);
    expect(html).not.toContain('<script>');
    expect(firstLine).toContain('x ---&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('are readable by their owner only, whatever the umask', async () => {
    await fileSmsTransport(dataDir).send({ to: '+15005550006', body: 'Your tickets' });
    const dir = devOutboxDir(dataDir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const names = readdirSync(dir);
    expect(names.some((n) => n.endsWith('.eml')) && names.some((n) => n.endsWith('.txt'))).toBe(true);
    for (const name of names) expect([name, statSync(path.join(dir, name)).mode & 0o777]).toEqual([name, 0o600]);
  });
});
