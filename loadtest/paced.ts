import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendCounter, type Measurement, type RunOptions } from './measure.ts';
import { percentile, round } from './stats.ts';

/**
 * Fixed-rate load, paced evenly: request i leaves at start + i/rate (an open loop: a slow answer never
 * delays the next request). autocannon's fixed-rate mode sends each second's requests as one burst at
 * the start of the second, so its latencies measure the burst's queue, not the server at that rate.
 * Latency runs from the request's scheduled time, so time spent waiting for a free connection (more
 * than `connections` in flight) counts too: no coordinated omission.
 */
export async function measurePaced(opts: RunOptions & { rate: number }): Promise<Measurement> {
  const target = new URL(opts.url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: opts.connections });
  const counter = sendCounter();
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  const buckets: number[][] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total && !opts.signal?.aborted; i++) {
    const due = started + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const spec = opts.requests[i % opts.requests.length]!;
    counter.count(spec);
    inFlight.push(
      send(client, agent, target, spec.method, spec.path, { 'content-type': 'application/json', ...spec.headers }, spec.body?.()).then(
        (status) => {
          const ms = performance.now() - due;
          latencies.push(ms);
          (buckets[Math.floor((due - started) / 1000)] ??= []).push(ms);
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    requestsPerSec: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
    errors,
    timeouts: 0,
    non2xx: Object.entries(statusCodes).reduce((n, [code, count]) => n + (code.startsWith('2') ? 0 : count), 0),
    statusCodes,
    perSecond: Array.from(buckets, (b, second) => {
      const s = (b ?? []).sort((x, y) => x - y);
      return { second, requests: s.length, p50Ms: round(percentile(s, 50)), p99Ms: round(percentile(s, 99)) };
    }),
    sentByProcedure: counter.sent,
  };
}

function send(client: typeof http | typeof https, agent: http.Agent, target: URL, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<number>((resolve, reject) => {
    const req = client.request({ agent, host: target.hostname, port: target.port, method, path, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}
