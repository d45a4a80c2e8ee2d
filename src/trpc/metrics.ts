import client from 'prom-client';

/**
 * The process's Prometheus registry. Modules count their outcomes here (e.g. check-in results);
 * gauges that live in the database are read when /metrics is scraped (see plugins/metrics.ts).
 * Under PM2 cluster each worker has its own registry: series carry `instance` (NODE_APP_INSTANCE)
 * so scrapes of different workers never overwrite each other (docs/deploy.md, "What to watch").
 */
export const registry = new client.Registry();
registry.setDefaultLabels({ instance: process.env.NODE_APP_INSTANCE ?? '0' });
client.collectDefaultMetrics({ register: registry, prefix: 'gatekeeper_' });

export const requestDuration = new client.Histogram({
  name: 'gatekeeper_trpc_request_duration_seconds',
  help: 'tRPC HTTP requests by procedure (batch = several in one request) and status code',
  labelNames: ['procedure', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/**
 * The procedures that have run in this process (a middleware adds each one's path): HTTP metrics label a
 * request by its procedure only when it is one of these, so made-up paths cannot grow the label set.
 */
export const knownProcedures = new Set<string>();

export const checkinResults = new client.Counter({
  name: 'gatekeeper_checkin_results_total',
  help: 'Check-in scans by result (ok, already_checked_in, invalid, wrong_event, not_paid, cancelled)',
  labelNames: ['result'] as const,
  registers: [registry],
});

/** Called by the check-in module for every scan it answers. */
export function countCheckinResult(result: string) {
  checkinResults.inc({ result });
}
