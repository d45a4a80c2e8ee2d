import { simpleParser } from 'mailparser';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../config.ts';
import { callerFor, testApp } from '../../testing/app.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { pdfPages } from '../../testing/documents.ts';
import { createTestEvent } from '../../testing/fixtures.ts';
import { outboxOf, quietLog } from '../../testing/notifications.ts';
import { startSesStandIn } from '../../testing/provider-stand-ins.ts';
import { createNotifier } from '../../worker/notifier.ts';
import { processOutboxMessage, sesTransport } from '../notifications/index.ts';
import { placeOrder } from '../orders/index.ts';
import * as tickets from '../tickets/index.ts';

/*
 * The tickets PDF and calendar entry: attached to the tickets email (SES SDK → stand-in, parsed back),
 * and downloadable from the order page through the short-lived signed links orders.get hands out.
 */

let database: TestDatabase;
let app: FastifyInstance;
let deps: Awaited<ReturnType<typeof testApp>>['deps'];
let event: Awaited<ReturnType<typeof createTestEvent>>;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, deps } = await testApp(database.db, { config: { limits: { ...testConfig().limits, ticketDownloadsPerMinute: 6 } } }));
  event = await createTestEvent(database.db, deps.clock(), { ticketTypes: [{ name: 'Standing' }], addOns: [{ name: 'Parking', maxPerTicket: 2 }] });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

let buyer = 0;
/** A free (so at once paid) order of `quantity` tickets with two parking add-ons each, as its page shows it. */
async function paidOrder(quantity: number) {
  const n = ++buyer;
  const placed = await placeOrder(deps, {
    eventId: event.eventId,
    customer: { name: `Holder ${n}`, email: `pocket${n}@example.com` },
    lines: [{ ticketTypeId: event.ticketTypeIds[0]!, quantity, addOns: [{ addOnId: event.addOnIds[0]!, quantity: 2 }] }],
  });
  const access = { orderId: placed.orderId, token: placed.token };
  return { access, view: await callerFor(deps).orders.get(access) };
}

// Every download is a fresh address: the per-address limit is tested on its own below.
let address = 0;
const get = (url: string, ip = `10.1.0.${++address % 250}`) => app.inject({ method: 'GET', url: new URL(url).pathname + new URL(url).search, remoteAddress: ip });

describe('the calendar entry', () => {
  it('parses to the event at its start (UTC), at its venue, from the order page link', async () => {
    const { view } = await paidOrder(1);
    expect(view.calendarUrl).toMatch(/\/event\.ics\?expires=\d+&signature=/);
    const res = await get(view.calendarUrl!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const entries = Object.values(ical.sync.parseICS(res.body)).filter((c) => c?.type === 'VEVENT');
    expect(entries).toHaveLength(1);
    const vevent = entries[0] as ical.VEvent;
    expect(vevent.summary).toBe(view.event.name);
    expect(vevent.start.toISOString()).toBe(view.event.startsAt);
    expect(res.body).toContain(`DTSTART:${view.event.startsAt.replace(/[-:]/g, '').replace(/\.\d+/, '')}`);
  });
});

describe('the tickets PDF', () => {
  it('has a page per ticket with its code, holder, type and add-ons, and a QR that decodes to its secret', async () => {
    const { view } = await paidOrder(3);
    const res = await get(view.ticketsPdfUrl!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const pages = await pdfPages(res.rawPayload);
    expect(pages).toHaveLength(3);
    view.tickets.forEach((t, i) => {
      expect(pages[i]!.qrCodes).toEqual([t.qrText]);
      for (const shown of [t.code, t.attendeeName, 'Standing', '2 × Parking', view.event.name]) expect(pages[i]!.text).toContain(shown);
    });
  });

  it('is rendered once per set of secrets: a repeat is the same file, a re-issued ticket a new one', async () => {
    const { access, view } = await paidOrder(2);
    const first = (await get(view.ticketsPdfUrl!)).rawPayload;
    expect((await get(view.ticketsPdfUrl!)).rawPayload.equals(first)).toBe(true);
    const old = view.tickets[0]!;
    await database.db.transaction((tx) => tickets.reissueTicket(tx, old.id, view.event.id));
    const again = await callerFor(deps).orders.get(access);
    const pages = await pdfPages((await get(again.ticketsPdfUrl!)).rawPayload);
    expect(pages.map((p) => p.qrCodes[0])).toEqual(again.tickets.map((t) => t.qrText));
    expect(pages[0]!.qrCodes[0]).not.toBe(old.qrText);
  });

  it('is refused for a changed, foreign or expired link, all alike, and never carries the order token', async () => {
    const mine = await paidOrder(1);
    const theirs = await paidOrder(1);
    expect(mine.view.ticketsPdfUrl).not.toContain(mine.access.token);
    const forged = mine.view.ticketsPdfUrl!.replace(/signature=./, (s) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A'));
    const foreign = mine.view.ticketsPdfUrl!.replace(mine.access.orderId, theirs.access.orderId);
    const longer = mine.view.ticketsPdfUrl!.replace(/expires=(\d+)/, (_, e) => `expires=${Number(e) + 3600}`);
    for (const url of [forged, foreign, longer]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error).toMatch(/invalid or has expired/);
    }
    deps.clock.advance(16 * 60_000);
    try {
      expect((await get(mine.view.ticketsPdfUrl!)).statusCode).toBe(404);
    } finally {
      deps.clock.advance(-16 * 60_000);
    }
  });

  it('takes a point of the per-address download limit per request, signed or not (abuse test)', async () => {
    const { view } = await paidOrder(1);
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await get(i % 2 ? view.ticketsPdfUrl! : view.calendarUrl!.replace(/signature=.*/, 'signature=x'), '10.9.9.9')).statusCode);
    expect(statuses).toEqual([404, 200, 404, 200, 404, 200, 429, 429]);
    const flood = await Promise.all(Array.from({ length: 50 }, () => get(view.ticketsPdfUrl!, '10.9.9.9')));
    expect(flood.every((r) => r.statusCode === 429 && Number(r.headers['retry-after']) > 0)).toBe(true);
    expect((await get(view.ticketsPdfUrl!, '10.9.9.10')).statusCode).toBe(200);
  });
});

describe('the tickets email', () => {
  it('attaches the PDF and the calendar entry and links only to the order page (10 tickets measured)', async () => {
    const ses = await startSesStandIn();
    try {
      const notifier = createNotifier(deps, quietLog, {
        transports: {
          email: sesTransport({ from: 'Gatekeeper <tickets@example.com>', region: 'eu-west-1', endpoint: ses.url, credentials: ses.credentials }),
          sms: { name: 'none', send: async () => ({ providerMessageId: 'none' }) },
        },
      });
      const { access, view } = await paidOrder(10);
      const [message] = await outboxOf(deps.db, access.orderId);
      expect(await processOutboxMessage(notifier, message!.id)).toBe('sent');
      const raw = ses.accepted.find((m) => m.to === view.customer.email)!.raw;
      const mail = await simpleParser(raw);
      const files = mail.attachments.filter((a) => a.contentDisposition === 'attachment');
      expect(files.map((f) => [f.filename, f.contentType])).toEqual([
        [`tickets-${view.code}.pdf`, 'application/pdf'],
        ['event.ics', 'text/calendar'],
      ]);
      const pages = await pdfPages(files[0]!.content);
      expect(pages.map((p) => p.qrCodes[0])).toEqual(view.tickets.map((t) => t.qrText));
      expect(String(mail.text)).not.toMatch(/\.pdf|\.ics|\.pkpass|signature=/);
      // README "Tickets PDF and calendar entry" quotes these sizes.
      console.info(`10-ticket email: ${raw.length} bytes in all, PDF ${files[0]!.size} bytes, calendar entry ${files[1]!.size} bytes`);
      expect(raw.length).toBeLessThan(1024 * 1024);
    } finally {
      await ses.close();
    }
  });
});
