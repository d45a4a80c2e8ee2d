import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { cachedNamedRows } from './named-statements.ts';

/*
 * Group commit for the gate. At a busy gate PostgreSQL spends more CPU starting, committing and
 * notifying for each scan statement than on the rows it writes, and the server as much again on the
 * round trip. So calls of one statement that wait while earlier ones run are sent together as one
 * execution over a JSON array of their inputs: a quiet gate's scan runs at once, alone; under load each
 * statement carries every scan that arrived meanwhile, and the cost per scan falls as the load grows.
 */

/** The placeholder a batched statement reads its inputs from: JSON text of an array of objects, each with `ord`. */
export const batchInput = sql.placeholder('batch');

/** Statements of one Db running at once: enough to keep the database busy, few enough that waiting calls gather. */
export const MAX_IN_FLIGHT = 4;
/** Inputs per statement at most: bounds one statement's time (and the rows one failure takes with it). */
export const MAX_BATCH = 64;

type Waiting = { input: Record<string, unknown>; exclusive: string[]; resolve(row: unknown): void; reject(err: unknown): void };
type Queue = { build: () => SQL; waiting: Waiting[] };

/** Batches so far on a Db: how many statements ran and how many inputs they carried (tests and /metrics). */
export type BatchStats = { statements: number; inputs: number };

class Batcher {
  /** By statement key; a Map iterates in insertion order, so re-inserting a served key takes turns between keys. */
  private readonly queues = new Map<string, Queue>();
  private inFlight = 0;
  readonly stats: BatchStats = { statements: 0, inputs: 0 };

  constructor(private readonly db: Db) {}

  add(key: string, build: () => SQL, waiting: Waiting) {
    const queue = this.queues.get(key) ?? { build, waiting: [] };
    queue.waiting.push(waiting);
    this.queues.set(key, queue);
    this.pump();
  }

  private pump() {
    while (this.inFlight < MAX_IN_FLIGHT && this.queues.size > 0) {
      const [key, queue] = this.queues.entries().next().value!;
      this.queues.delete(key);
      const batch = takeBatch(queue.waiting);
      if (queue.waiting.length > 0) this.queues.set(key, queue);
      this.inFlight++;
      void this.run(key, queue.build, batch);
    }
  }

  private async run(key: string, build: () => SQL, batch: Waiting[]) {
    this.stats.statements++;
    this.stats.inputs += batch.length;
    let rows: { ord: number }[];
    try {
      rows = await cachedNamedRows<{ ord: number }>(this.db, key, build, {
        batch: JSON.stringify(batch.map((w, i) => ({ ...w.input, ord: i + 1 }))),
      });
    } catch (err) {
      // Every input shared the statement, so every input shares its failure (callers retry as they would alone).
      this.done();
      for (const w of batch) w.reject(err);
      return;
    }
    // The slot is free before the callers go on: what they send next can join the next statement.
    this.done();
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    batch.forEach((w, i) => {
      const row = byOrd.get(i + 1);
      if (row) w.resolve(row);
      else w.reject(new Error(`statement ${key} answered no row for input ${i + 1}`));
    });
  }

  private done() {
    this.inFlight--;
    this.pump();
  }
}

/**
 * Takes up to MAX_BATCH inputs off the front of `waiting`, skipping any that shares an exclusive key
 * with one already taken: those touch the same rows, and wait for the next statement, in order.
 */
function takeBatch(waiting: Waiting[]): Waiting[] {
  const taken: Waiting[] = [];
  const left: Waiting[] = [];
  const claimed = new Set<string>();
  for (const w of waiting) {
    if (taken.length < MAX_BATCH && !w.exclusive.some((k) => claimed.has(k))) {
      taken.push(w);
      for (const k of w.exclusive) claimed.add(k);
    } else left.push(w);
  }
  waiting.splice(0, waiting.length, ...left);
  return taken;
}

const batchers = new WeakMap<Db, Batcher>();
const batcherOf = (db: Db) => {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new Batcher(db)));
  return batcher;
};

/**
 * The row for `input` of the statement `key` names, run together with the other calls of the same key
 * that are waiting (see above). `build` reads every input from `batchInput` (e.g. json_to_recordset)
 * and answers one row per input with its `ord`, the input's 1-based position. No two inputs of one
 * statement share an `exclusive` key (say, the row they write). Keys come from code, as in cachedNamedRows.
 */
export function batchedRow<T>(db: Db, key: string, build: () => SQL, input: Record<string, unknown>, exclusive: string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    batcherOf(db).add(key, build, { input, exclusive, resolve: resolve as (row: unknown) => void, reject });
  });
}

/** A copy of the Db's batch counts; reading them starts nothing (a Db that never batched has none). */
export const batchStatsOf = (db: Db): BatchStats => ({ ...(batchers.get(db)?.stats ?? { statements: 0, inputs: 0 }) });
