/*
 * The server's own view of a scenario's answer times: its request-time histogram for the procedure
 * (gatekeeper_trpc_request_duration_seconds, measured by Fastify from request to reply), read from
 * /metrics before and after the run. The load generator shares the machine, so its own latencies also
 * hold its pauses; this figure holds only the server's. A histogram gives bounds, not exact values:
 * "p99 ≤ 20 ms" means 99 % of the answers fell in buckets up to 20 ms. The same reading gives how many
 * calls the server's batched statements carried (db/statement-batches.ts): scans per gate statement.
 */

/** Cumulative answers by bucket bound (seconds; +Inf as Infinity), all statuses summed. */
export type Histogram = Map<number, number>;

/** What a run reads off the server's /metrics before and after: its histogram, and its batched statements so far. */
export type ServerReading = { histogram: Histogram; batched: { statements: number; inputs: number } };

export async function readServer(url: string, token: string, procedure: string | null): Promise<ServerReading> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return parseReading(await res.text(), procedure);
}

export function parseReading(text: string, procedure: string | null): ServerReading {
  const histogram: Histogram = new Map();
  const batched = { statements: 0, inputs: 0 };
  const bucket = /^gatekeeper_trpc_request_duration_seconds_bucket\{(.*)\} (\S+)$/;
  const counter = /^gatekeeper_db_batched_(statements|inputs)_total(?:\{.*\})? (\S+)$/;
  for (const line of text.split('\n')) {
    const c = counter.exec(line);
    if (c) batched[c[1] as 'statements' | 'inputs'] += Number(c[2]);
    const m = bucket.exec(line);
    if (!m || procedure === null || !m[1]!.includes(`procedure="${procedure}"`)) continue;
    const le = /le="([^"]+)"/.exec(m[1]!)![1]!;
    const bound = le === '+Inf' ? Infinity : Number(le);
    histogram.set(bound, (histogram.get(bound) ?? 0) + Number(m[2]));
  }
  return { histogram, batched };
}

/** Inputs per batched statement between two readings (e.g. scans per gate statement), one decimal; null if none ran. */
export function inputsPerStatement(before: ServerReading, after: ServerReading): number | null {
  const statements = after.batched.statements - before.batched.statements;
  return statements > 0 ? Math.round(((after.batched.inputs - before.batched.inputs) / statements) * 10) / 10 : null;
}

/** The bucket bound (ms) within which `quantile` of the answers between two readings fell, or null if none. */
export function boundOfQuantileMs(before: Histogram, after: Histogram, quantile: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const inRun = (bound: number) => after.get(bound)! - (before.get(bound) ?? 0);
  const total = bounds.length > 0 ? inRun(bounds.at(-1)!) : 0;
  if (total === 0) return null;
  const bound = bounds.find((b) => inRun(b) >= quantile * total)!;
  return bound === Infinity ? Infinity : Math.round(bound * 1000 * 10) / 10;
}
