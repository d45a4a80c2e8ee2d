import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../testing/db.ts';
import { createTestEvent, customer } from '../../testing/fixtures.ts';
import { useTestDatabase } from '../../testing/suite.ts';
import { placeOrder } from './service.ts';

/*
 * On an on-sale rush every order queues for one ticket type's row lock, held from the order's capacity
 * write until its commit: whatever the order writes after that write, every other buyer waits for. Here
 * a second connection holds that lock, so the order stops exactly at its capacity write; the tables it
 * has written by then (its RowExclusiveLocks) show that every other write came before the lock.
 */

const suite = useTestDatabase();
let blocker: pg.Client;

beforeEach(async () => {
  blocker = new pg.Client({ connectionString: suite.database.url });
  await blocker.connect();
});
afterEach(() => blocker.end());

/**
 * The backend that waits for a row lock, and the tables it has written so far in its transaction. Asked
 * on a connection of its own: inside the blocker's transaction pg_stat_activity would stay a snapshot.
 */
async function waitingOrder(): Promise<{ query: string; written: string[] }> {
  for (;;) {
    const [waiting] = await queryRows<{ pid: number; query: string }>(
      suite.database.db,
      sql`SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting) {
      const written = await queryRows<{ relname: string }>(
        suite.database.db,
        sql`SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.pid = ${waiting.pid} AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r' ORDER BY c.relname`,
      );
      return { query: waiting.query, written: written.map((r) => r.relname) };
    }
    await sleep(20);
  }
}

describe('the hot row lock of an order', () => {
  it('is taken by its last write: order, lines, history, payment and hold are written before it', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ priceCents: 1500, capacity: 5 }] });
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM ticket_types WHERE id = $1 FOR UPDATE', [ticketTypeIds[0]]);
    const order = placeOrder(suite.deps, { eventId, customer: customer(1), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 2 }] });

    const waiting = await Promise.race([waitingOrder(), order.then((o) => Promise.reject(new Error(`never waited: ${JSON.stringify(o)}`)))]);
    await blocker.query('COMMIT');
    expect(waiting.query).toMatch(/^update "ticket_types"/);
    expect(waiting.written).toEqual(['holds', 'order_lines', 'order_status_changes', 'orders', 'payments', 'ticket_types']);
    expect(await order).toMatchObject({ status: 'pending', paymentUrl: expect.any(String) });
  });
});
