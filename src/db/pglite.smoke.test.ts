import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, queryRows } from '../testing/db.ts';
import { createTestEvent, customer } from '../testing/fixtures.ts';
import { orderScenarios } from '../testing/order-scenarios.ts';
import { capacityBooks } from '../testing/race.ts';
import { placeOrder } from '../modules/orders/index.ts';
import { AppError } from '../shared/errors.ts';
import { migrate } from './migrate.ts';
import { useTestDatabase } from '../testing/suite.ts';

/* The embedded default (PGlite, PostgreSQL 18 in WASM) runs the same migrations and ordering scenarios. */

const suite = useTestDatabase(createPgliteTestDatabase);

describe('PGlite', () => {
  it('has every migration applied, and migrating again is a no-op', async () => {
    const files = readdirSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')).filter((f) => f.endsWith('.sql'));
    const applied = await queryRows<{ name: string }>(suite.database.db, sql`select name from schema_migrations order by name`);
    expect(applied.map((r) => r.name)).toEqual(files.sort());
    expect(await migrate(suite.database)).toEqual([]);
  });

  it.each(Object.entries(orderScenarios))('%s', (_name, scenario) => scenario(suite.deps));

  it('one connection still never oversells: 30 concurrent orders for 10 seats', async () => {
    const { eventId, ticketTypeIds } = await createTestEvent(suite.deps.db, suite.deps.clock(), { ticketTypes: [{ capacity: 10 }] });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        placeOrder(suite.deps, { eventId, customer: customer(i), lines: [{ ticketTypeId: ticketTypeIds[0]!, quantity: 1 }] }).then(
          () => 'ok',
          (e: unknown) => (e instanceof AppError ? e.code : String(e)),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    expect(results.filter((r) => r !== 'ok').every((r) => r === 'SOLD_OUT')).toBe(true);
    expect(await capacityBooks(suite.database.db, 'ticket_type', ticketTypeIds[0]!)).toEqual({ taken: 10, capacity: 10, held: 0, sold: 10, issued: 10 });
  });
});
