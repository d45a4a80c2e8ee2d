import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../shared/csrf.ts';
import { queryRows } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { postTrpc } from '../../testing/http.ts';
import { capacityBooks } from '../../testing/race.ts';
import { useServerPair } from '../../testing/server-pair.ts';
import { createUser } from '../auth/index.ts';

/*
 * Offers are a cluster claim: six refunds at once, split over two server processes, free six seats of a
 * sold-out type with eight people waiting. Each seat is offered once, to the first six in line.
 */

const cluster = useServerPair();

async function adminCookie(url: string) {
  const email = `race-admin-${Date.now()}@example.com`;
  await createUser(cluster.database.db, { email, password: 'correct horse battery', role: 'admin' });
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
  if (!sid) throw new Error(`login failed: ${res.status}`);
  return sid.split(';')[0]!;
}

describe('waiting-list offers over two server processes', { timeout: 300_000 }, () => {
  it('6 refunds at once free 6 seats: 6 offers, to the first 6 of 8 in line, one message each, no seat lost', async () => {
    const [a, b] = cluster.urls as [string, string];
    const { eventId, ticketTypeIds } = await createTestEvent(cluster.database.db, new Date(), { ticketTypes: [{ capacity: 6, priceCents: 0 }] });
    const ticketTypeId = ticketTypeIds[0]!;
    const orders = [];
    for (let i = 0; i < 6; i++) {
      const r = await postTrpc(a, 'orders.create', { eventId, customer: customer(i), lines: [{ ticketTypeId, quantity: 1 }] });
      orders.push((r.body!.result!.data as { orderId: string }).orderId);
    }
    for (let n = 0; n < 8; n++) {
      const r = await postTrpc(n % 2 ? a : b, 'waitlist.join', { ticketTypeId, name: `Waiting ${n}`, email: `line${n}@example.com`, quantity: 1 });
      expect(r.status).toBe(200);
    }
    const cookie = await adminCookie(a);
    const refunds = await Promise.all(
      orders.map((orderId, i) =>
        fetch(`${i % 2 ? a : b}/trpc/admin.refundOrder`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, [CSRF_HEADER]: '1' },
          body: JSON.stringify({ orderId }),
        }).then((r) => r.status),
      ),
    );
    expect(refunds).toEqual(Array(6).fill(200));
    const line = await queryRows<{ id: string; status: string }>(
      cluster.database.db,
      sql`select id, status from waitlist_entries where ticket_type_id = ${ticketTypeId} order by seq`,
    );
    expect(line.map((e) => e.status)).toEqual([...Array(6).fill('offered'), 'waiting', 'waiting']);
    const messages = await queryRows<{ entry_id: string }>(
      cluster.database.db,
      sql`select payload->>'entryId' as entry_id from outbox_messages where type = 'waitlist.offer'`,
    );
    expect(messages.map((m) => m.entry_id).sort()).toEqual(line.slice(0, 6).map((e) => e.id).sort());
    const books = await capacityBooks(cluster.database.db, 'ticket_type', ticketTypeId);
    expect(books).toMatchObject({ taken: 6, capacity: 6, held: 6, sold: 0 });
    // The public finds nothing: the freed seats are held for the people who waited.
    const late = await postTrpc(b, 'orders.create', { eventId, customer: customer(99), lines: [{ ticketTypeId, quantity: 1 }] });
    expect(late.body?.error?.data.appCode).toBe('SOLD_OUT');
  });
});
