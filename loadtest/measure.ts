import autocannon from 'autocannon';
import { measurePaced } from './paced.ts';
import { percentile, round } from './stats.ts';

export type RequestSpec = {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A new body for every request (unique nonces, customers, tickets). */
  body?: () => string;
};

export type SecondSample = { second: number; requests: number; p50Ms: number; p99Ms: number };

export type Measurement = {
  requests: number;
  seconds: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  perSecond: SecondSample[];
  /** Requests sent, by tRPC procedure (compared with the server's own /metrics). */
  sentByProcedure: Record<string, number>;
};

export type RunOptions = {
  url: string;
  title: string;
  seconds: number;
  connections: number;
  /** Fixed-rate mode: requests per second, paced evenly (paced.ts), at most `connections` in flight. */
  rate?: number;
  requests: RequestSpec[];
  progress?: boolean;
  /** Stops the run early (Ctrl-C): what was measured until then is returned. */
  signal?: AbortSignal;
};

/** The tRPC procedure a request calls: `/trpc/checkin.scan?input=…` → checkin.scan. */
export const procedureOf = (path: string) => path.replace(/^\/trpc\//, '').replace(/\?.*$/, '');

/** Counts each request as it is sent, by procedure. */
export function sendCounter() {
  const sent: Record<string, number> = {};
  return { sent, count: (spec: RequestSpec) => void (sent[procedureOf(spec.path)] = (sent[procedureOf(spec.path)] ?? 0) + 1) };
}

/** One autocannon run; latencies are also bucketed per second for the report's over-time chart. */
export async function measure(opts: RunOptions): Promise<Measurement> {
  if (opts.rate) return measurePaced({ ...opts, rate: opts.rate });
  const buckets: number[][] = [];
  const all: number[] = [];
  const statusCodes: Record<string, number> = {};
  const started = performance.now();
  const counter = sendCounter();
  let done!: (r: autocannon.Result) => void;
  let failed!: (e: Error) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => ((done = resolve), (failed = reject)));
  const instance = autocannon({
    url: opts.url,
    title: opts.title,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 10,
    requests: opts.requests.map((r) => ({
      method: r.method,
      path: r.path,
      headers: { 'content-type': 'application/json', ...r.headers },
      setupRequest: (req: autocannon.Request) => {
        counter.count(r);
        return r.body ? { ...req, body: r.body() } : req;
      },
    })),
  }, (err, result) => (err ? failed(err) : done(result)));
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    const second = Math.floor((performance.now() - started) / 1000);
    (buckets[second] ??= []).push(responseTime);
    all.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  if (opts.signal?.aborted) instance.stop();
  else opts.signal?.addEventListener('abort', () => instance.stop(), { once: true });
  if (opts.progress) autocannon.track(instance, { renderProgressBar: true, renderResultsTable: false, renderLatencyTable: false });
  const result = await finished;
  all.sort((a, b) => a - b);
  const perSecond = Array.from(buckets, (b, second) => {
    const sorted = (b ?? []).sort((x, y) => x - y);
    return { second, requests: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
  });
  const seconds = result.duration;
  return {
    requests: all.length,
    seconds,
    requestsPerSec: Math.round(all.length / seconds),
    // Our own percentiles from every response time (autocannon's table reports whole milliseconds).
    p50Ms: round(percentile(all, 50)),
    p99Ms: round(percentile(all, 99)),
    maxMs: round(all.at(-1) ?? 0),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    perSecond,
    sentByProcedure: counter.sent,
  };
}

