import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { batchedRow, batchInput, batchStatsOf, MAX_BATCH, MAX_IN_FLIGHT } from './statement-batches.ts';

/*
 * Calls of one statement that wait while others run share one execution, each answered with its own
 * row; calls that share an exclusive key never share a statement; a failure reaches exactly the calls
 * of the failed statement. Which calls shared a statement is told by the database itself: each
 * statement is its own transaction, so the rows of one statement carry one txid.
 */

const databases: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createTestDatabase({ poolSize: 4 })],
  ['PGlite', createPgliteTestDatabase],
];

type Echo = { ord: number; word: string; tx: string };
/** Echoes each input's word upper-cased with the statement's transaction id; an input `fail` breaks the statement, `skip` gets no row. */
const echo = () => sql`SELECT b.ord, upper(b.word) AS word, txid_current()::text AS tx
  FROM json_to_recordset(${batchInput}::json) AS b(ord int, word text, sleep float)
  CROSS JOIN LATERAL (SELECT pg_sleep(b.sleep)) s
  WHERE CASE WHEN b.word = 'fail' THEN 1 / (length(b.word) - 4) = 1 ELSE b.word <> 'skip' END`;

describe.each(databases)('batchedRow on %s', (_name, open) => {
  let database: TestDatabase;
  let key: string;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.drop());

  const call = (word: string, exclusive: string[] = [], sleep = 0) => batchedRow<Echo>(database.db, key, echo, { word, sleep }, exclusive);
  /** Slow calls first, one per running slot, so the calls after them wait and gather. */
  const occupy = () => Array.from({ length: MAX_IN_FLIGHT }, () => call('slow', [], 0.3));
  const statementsOf = (rows: Echo[]) => new Set(rows.map((r) => r.tx)).size;

  it('runs a lone call at once, and calls that arrive while others run together, each with its own row', async () => {
    key = `test-gather-${Math.random()}`;
    const before = batchStatsOf(database.db);
    const alone = await call('first');
    expect(alone.word).toBe('FIRST');
    const slow = occupy();
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    const rows = await Promise.all(words.map((w) => call(w)));
    await Promise.all(slow);
    expect(rows.map((r) => r.word)).toEqual(words.map((w) => w.toUpperCase()));
    expect(statementsOf(rows)).toBe(1);
    expect(batchStatsOf(database.db)).toEqual({ statements: before.statements + 2 + MAX_IN_FLIGHT, inputs: before.inputs + 21 + MAX_IN_FLIGHT });
  });

  it('never puts two calls with one exclusive key in one statement; each waits for the next, in order', async () => {
    key = `test-exclusive-${Math.random()}`;
    const slow = occupy();
    const rows = await Promise.all([call('a1', ['a']), call('a2', ['a']), call('b', ['b']), call('a3', ['a', 'c']), call('c', ['c'])]);
    await Promise.all(slow);
    const tx = Object.fromEntries(rows.map((r) => [r.word, r.tx]));
    expect(tx.A1).toBe(tx.B);
    expect(new Set([tx.A1, tx.A2, tx.A3]).size).toBe(3);
    expect(tx.C).not.toBe(tx.A3);
  });

  it(`carries at most ${MAX_BATCH} calls a statement`, async () => {
    key = `test-cap-${Math.random()}`;
    const slow = occupy();
    const rows = await Promise.all(Array.from({ length: MAX_BATCH * 2 + 5 }, (_, i) => call(`n${i}`)));
    await Promise.all(slow);
    const perStatement = new Map<string, number>();
    for (const r of rows) perStatement.set(r.tx, (perStatement.get(r.tx) ?? 0) + 1);
    expect(Math.max(...perStatement.values())).toBe(MAX_BATCH);
    expect(perStatement.size).toBe(3);
  });

  it("fails every call of a failed statement with the database's error, and only those", async () => {
    key = `test-fail-${Math.random()}`;
    const slow = occupy();
    // Settled as they are made: the shared statement may fail while the slow calls still run.
    const shared = Promise.allSettled([call('ok', ['x']), call('fail', ['y'])]);
    const later = call('later', ['x']);
    await Promise.all(slow);
    for (const s of await shared) expect(s.status === 'rejected' && String((s.reason as Error).cause)).toMatch(/division by zero/);
    expect((await later).word).toBe('LATER');
  });

  it('refuses a call the statement answered no row for', async () => {
    key = `test-skip-${Math.random()}`;
    await expect(call('skip')).rejects.toThrow(/answered no row for input 1/);
  });
});
