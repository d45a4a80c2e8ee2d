/*
 * The server's own view of a scenario's answer times: its request-time histogram for the procedure
 * (gatekeeper_trpc_request_duration_seconds, measured by Fastify from request to reply), read from
 * /metrics before and after the run. The load generator shares the machine, so its own latencies also
 * hold its pauses; this figure holds only the server's. A histogram gives bounds, not exact values:
 * "p99 ≤ 20 ms" means 99 % of the answers fell in buckets up to 20 ms.
 */

/** Cumulative answers by bucket bound (seconds; +Inf as Infinity), all statuses summed. */
export type Histogram = Map<number, number>;

export async function readServerHistogram(url: string, token: string, procedure: string): Promise<Histogram> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const histogram: Histogram = new Map();
  const line = /^gatekeeper_trpc_request_duration_seconds_bucket\{(.*)\} (\S+)$/;
  for (const text of (await res.text()).split('\n')) {
    const m = line.exec(text);
    if (!m || !m[1]!.includes(`procedure="${procedure}"`)) continue;
    const le = /le="([^"]+)"/.exec(m[1]!)![1]!;
    const bound = le === '+Inf' ? Infinity : Number(le);
    histogram.set(bound, (histogram.get(bound) ?? 0) + Number(m[2]));
  }
  return histogram;
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
