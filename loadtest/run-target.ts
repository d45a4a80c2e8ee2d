import { readFileSync } from 'node:fs';
import { compareReports } from './compare.ts';
import { measure, type Measurement, type RequestSpec } from './measure.ts';
import { errorsByKind, type ChartLevels, type Report } from './report.ts';
import { signInToTarget, TargetRefused, type Remote } from './remote.ts';
import { devicesPerGate, peakScansPerSecond } from './sizing.ts';
import { openLivePages } from './live-pages.ts';
import { createLoadTestEvent, removeLoadTestEvent, type LoadTestEvent } from './target.ts';
import { targetScenario, type Mix, type TargetScenarioName } from './target-scenarios.ts';
import { ratio } from './stats.ts';

/*
 * `npm run loadtest -- --target <url>`: measures a running install (PM2 cluster, proxy, its database)
 * through its public API, on a load-test event it creates and removes again — also on Ctrl-C.
 */

export type TargetOptions = {
  url: string;
  scenario: TargetScenarioName;
  seconds: number;
  connections: number;
  rate?: number;
  tickets: number;
  gates: number;
  hotCapacity: number;
  mix: Mix;
  /** Organizer live pages (SSE subscriptions) open during a mixed run. */
  livePages: number;
  sizing?: { attendees: number; arrivalMinutes: number; p99GoalMs: number };
  progress: boolean;
};

const log = (line: string) => console.error(line);

/** Runs the target mode; the report (null when refused before anything was made) and whether Ctrl-C cut it short. */
export type TargetRun = {
  report: Report;
  measured: Measurement;
  levels: ChartLevels;
  interrupted: boolean;
  /** Every call the generator made, by procedure (setup, ceiling, scenario, clean-up): to hold against /metrics. */
  sentByProcedure(): Record<string, number>;
};

export async function runAgainstTarget(opts: TargetOptions): Promise<TargetRun | null> {
  let admin: Remote;
  try {
    admin = await signInToTarget(opts.url);
  } catch (err) {
    if (err instanceof TargetRefused) {
      console.error(err.message);
      return null;
    }
    throw err;
  }
  const stop = new AbortController();
  const onSigint = () => {
    // A second Ctrl-C must not leave the event behind half-removed: the removal finishes regardless.
    if (stop.signal.aborted) return log('still removing the load-test event …');
    log('interrupted: stopping the load and removing the load-test event …');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  let eventId: string | undefined;
  const sent: Record<string, number>[] = [admin.sent];
  const run = (title: string, requests: RequestSpec[], seconds: number, rate?: number) =>
    measure({ url: admin.url, title, seconds, connections: opts.connections, rate, requests, progress: opts.progress, signal: stop.signal }).then((m) => {
      sent.push(m.sentByProcedure);
      return m;
    });
  try {
    const event = await createLoadTestEvent(
      admin,
      { tickets: opts.tickets, devices: opts.gates, hotCapacity: opts.hotCapacity, label: `${opts.scenario} ${new Date().toISOString()}` },
      { log, signal: stop.signal, onCreated: (id) => (eventId = id) },
    );
    const ceilingSeconds = Math.min(opts.seconds, 10);
    log(`ceiling: no-op tRPC procedure (health.ping) for ${ceilingSeconds} s`);
    const noop = await run('trpc-noop', [{ method: 'GET', path: '/trpc/health.ping' }], ceilingSeconds);
    const scenario = targetScenario(opts.scenario, event, admin, opts.mix);
    log(`scenario ${opts.scenario} against ${admin.url}: ${opts.seconds} s, ${opts.connections} connections${opts.rate ? `, fixed ${opts.rate} req/s` : ''}`);
    const live = opts.scenario === 'mixed' && opts.livePages > 0 ? openLivePages(admin, event.eventId, opts.livePages) : null;
    const m = await run(opts.scenario, scenario.requests, opts.seconds, opts.rate);
    const liveFigures = await live?.close();
    const checks = { ...(stop.signal.aborted ? {} : await scenario.verify()), ...liveFigures };
    const report: Report = {
      scenario: opts.scenario,
      target: admin.url,
      requestsPerSec: m.requestsPerSec,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      errors: m.errors,
      non2xx: m.non2xx,
      errorsByKind: errorsByKind(m),
      ceilings: { trpcNoopRps: noop.requestsPerSec, dbUpdateRps: 0 },
      ratios: { vsTrpcNoop: ratio(m.requestsPerSec, noop.requestsPerSec), vsDbUpdate: 0 },
      rssMb: 0,
      mix: opts.scenario === 'mixed' ? opts.mix : undefined,
      run: { seconds: m.seconds, connections: opts.connections, fixedRate: opts.rate ?? null, requests: m.requests, maxMs: m.maxMs, timeouts: m.timeouts, statusCodes: m.statusCodes },
      checks,
    };
    const levels: ChartLevels = { throughput: [{ name: 'no-op tRPC ceiling', color: '#8250df', value: noop.requestsPerSec }] };
    // In sizing mode the scenario is check-in flat out (run.ts): that run is the scan capacity.
    if (opts.sizing && !stop.signal.aborted) await size(opts, m, event, admin, run, report, levels);
    const sentByProcedure = () => {
      const total: Record<string, number> = {};
      for (const counts of sent) for (const [p, n] of Object.entries(counts)) total[p] = (total[p] ?? 0) + n;
      return total;
    };
    return { report, measured: m, levels, interrupted: stop.signal.aborted, sentByProcedure };
  } finally {
    // Also after Ctrl-C or a failure: nothing the run made stays on the install.
    if (eventId) {
      await removeLoadTestEvent(admin, eventId, log).catch((err: Error) => {
        log(`could NOT remove load-test event ${eventId} (${err.message}); it stays hidden — remove it later with admin.removeLoadTestEvent`);
        process.exitCode = 1;
      });
    }
    process.off('SIGINT', onSigint);
  }
}

/**
 * --sizing against the target: the scan capacity (the check-in run flat out), then paced runs at the event's peak and at
 * 2×, 4×, 8× it (while under the capacity): the highest rate whose p99 stayed under the goal without
 * errors is what the install sustains; devices per gate follow from the scan answer time at the peak.
 */
async function size(
  opts: TargetOptions,
  capacity: Measurement,
  event: LoadTestEvent,
  admin: Remote,
  run: (title: string, requests: RequestSpec[], seconds: number, rate?: number) => Promise<Measurement>,
  report: Report,
  levels: ChartLevels,
) {
  const { attendees, arrivalMinutes, p99GoalMs } = opts.sizing!;
  const peak = peakScansPerSecond(attendees, arrivalMinutes);
  const scans = () => targetScenario('checkin', event, admin).requests;
  log(`sizing: ${attendees} attendees over ${arrivalMinutes} min → peak ${peak.peakScansPerSec} scans/s; capacity ${capacity.requestsPerSec} scans/s`);
  const steps: { rate: number; p50Ms: number; p99Ms: number; failed: number }[] = [];
  for (const factor of [1, 2, 4, 8]) {
    const rate = peak.peakScansPerSec * factor;
    if (factor > 1 && rate > capacity.requestsPerSec) break;
    log(`sizing: paced ${rate} scans/s for ${opts.seconds} s`);
    const m = await run(`checkin-${rate}`, scans(), opts.seconds, rate);
    steps.push({ rate, p50Ms: m.p50Ms, p99Ms: m.p99Ms, failed: m.errors + m.non2xx });
  }
  const within = steps.filter((s) => s.p99Ms <= p99GoalMs && s.failed === 0);
  const sustained = within.length ? Math.max(...within.map((s) => s.rate)) : 0;
  const atPeak = steps[0]!;
  const headroom = Math.floor((capacity.requestsPerSec / peak.peakScansPerSec) * 10) / 10;
  const devices = devicesPerGate(peak.peakScansPerSec, opts.gates, atPeak.p50Ms);
  const holds = sustained >= peak.peakScansPerSec;
  report.verdict =
    `${holds ? 'Holds your event' : 'Does NOT hold your event'}: ${attendees} people over ${arrivalMinutes} min need ${peak.peakScansPerSec} scans/s at peak; ` +
    `this install sustained ${sustained} scans/s with p99 under ${p99GoalMs} ms (p99 ${atPeak.p99Ms} ms at your peak), ` +
    `${capacity.requestsPerSec} scans/s flat out — ${headroom}× headroom. ` +
    `Plan ${devices} scanning device${devices === 1 ? '' : 's'} per gate at ${opts.gates} gate${opts.gates === 1 ? '' : 's'} (a person takes ~3 s at a scanner plus ${atPeak.p50Ms} ms for the answer).`;
  report.sizing = { ...peak, gates: opts.gates, p99GoalMs, capacityScansPerSec: capacity.requestsPerSec, sustainedScansPerSec: sustained, headroom, devicesPerGate: devices, steps };
  levels.throughput!.push({ name: 'scan capacity', color: '#bf8700', value: capacity.requestsPerSec }, { name: "your event's peak", color: '#cf222e', value: peak.peakScansPerSec });
  levels.latency = [{ name: 'p99 goal', color: '#cf222e', value: p99GoalMs }];
}

/** `--compare previous.json`: the change of every figure both reports carry. */
export function printComparison(previousPath: string, report: Report) {
  const previous = JSON.parse(readFileSync(previousPath, 'utf8')) as Report;
  console.log(compareReports(previous, report).join('\n'));
}
