import { setTimeout as sleep } from 'node:timers/promises';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Log, Transports } from '../modules/notifications/index.ts';
import { sesTransport, twilioTransport } from '../modules/notifications/index.ts';
import { notificationDeliveries, outboxMessages } from '../modules/notifications/schema.ts';
import type { startSesStandIn, startTwilioStandIn } from './provider-stand-ins.ts';

/** The ticket email as the worker renders it, for tests that read what a customer would. */
export { renderTicketsEmail } from '../modules/notifications/render.ts';

export const quietLog: Log = { info() {}, warn() {}, error() {} };

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The real SES and Twilio SDKs, pointed at the stand-ins. */
export function standInTransports(
  ses: Awaited<ReturnType<typeof startSesStandIn>>,
  twilio: Awaited<ReturnType<typeof startTwilioStandIn>>,
): Transports {
  return {
    email: sesTransport({ from: 'Gatekeeper <tickets@example.com>', region: 'eu-west-1', endpoint: ses.url, credentials: ses.credentials }),
    sms: twilioTransport({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: twilio.from, apiBase: twilio.url }),
  };
}

export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/** The outbox rows of an order (its messages), oldest first. */
export const outboxOf = (db: Db, orderId: string) =>
  db.select().from(outboxMessages).where(sql`${outboxMessages.payload}->>'orderId' = ${orderId}`).orderBy(outboxMessages.createdAt);

export const deliveriesOfOutbox = (db: Db, outboxId: string) =>
  db.select().from(notificationDeliveries).where(eq(notificationDeliveries.outboxId, outboxId));

/** Waits until every message of the order has ended; returns them. */
export const settledOutbox = (db: Db, orderId: string, timeoutMs?: number) =>
  waitFor(
    async () => {
      const rows = await outboxOf(db, orderId);
      return rows.length > 0 && rows.every((r) => r.status === 'sent' || r.status === 'failed' || r.status === 'skipped') && rows;
    },
    `the messages of order ${orderId}`,
    timeoutMs,
  );

/** The most sends that fall into any window of `windowMs` (sliding, over every start point). */
export function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}
