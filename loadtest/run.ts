import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage } from './bench-output.ts';
import { boundOfQuantileMs, inputsPerStatement, readServer } from './server-latency.ts';
import { measure, type Measurement } from './measure.ts';
import { renderHtml, type ChartLevels, type Report } from './report.ts';
import { printComparison, runAgainstTarget } from './run-target.ts';
import { DEFAULT_MIX, parseMix, TARGET_SCENARIOS, type TargetScenarioName } from './target-scenarios.ts';
import { prepareScenario, SCENARIOS, type ScenarioName } from './scenarios.ts';
import { POOL_SIZE, seedEvent, seedTickets, startTarget, type Runtime, type Target } from './setup.ts';
import { peakScansPerSecond, PEAK_FACTOR } from './sizing.ts';
import { ratio } from './stats.ts';

const USAGE = `npm run loadtest -- --scenario checkin|order|browse [--duration 20] [--connections 50] [--rate n] [--profile] [--runtime bundle|tsx]
    [--node-flags=--max-old-space-size=4096]
npm run loadtest -- --sizing --attendees 80000 --arrival-minutes 30 [--duration 20]
LOADTEST_ADMIN_EMAIL=… LOADTEST_ADMIN_PASSWORD=… npm run loadtest -- --target https://staging.example.org
    --scenario checkin|order|browse|mixed|on-sale [--mix qr=70,code=10,repeat=8,sale=5,view=5,dashboard=2]
    [--tickets 5000] [--gates 2] [--hot-capacity 500] [--live-pages 2] [--duration 20] [--connections 50] [--rate n]
    [--sizing --attendees N --arrival-minutes M [--p99-ms 200]]
any mode: [--out dir] [--compare previous.json]`;

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string' },
    sizing: { type: 'boolean', default: false },
    attendees: { type: 'string' },
    'arrival-minutes': { type: 'string' },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results') },
    profile: { type: 'boolean', default: false },
    // bundle: dist/server/main.js as `npm start`, PM2 and Docker run it; tsx: the sources, as `npm run dev`.
    runtime: { type: 'string', default: 'bundle' },
    // The server's node flags beyond the launchers' own (which they override), e.g. to compare heap caps.
    'node-flags': { type: 'string', default: '' },
    // Against a running install (run-target.ts); admin credentials only from the environment.
    target: { type: 'string' },
    mix: { type: 'string' },
    tickets: { type: 'string' },
    gates: { type: 'string', default: '2' },
    'hot-capacity': { type: 'string', default: '500' },
    'live-pages': { type: 'string', default: '2' },
    'p99-ms': { type: 'string', default: '200' },
    compare: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${value}"`);
  return n;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const progress = process.stderr.isTTY;

/** The ceilings a scenario is judged against, measured on the same server in the same run. */
async function ceilings(target: Target, seconds: number, connections: number) {
  const noop = { method: 'GET' as const, path: '/trpc/health.ping' };
  await measure({ url: target.url, title: 'warm-up', seconds: 2, connections, requests: [noop] });
  console.error(`ceiling: no-op tRPC procedure (health.ping) for ${seconds} s`);
  const cpuBefore = target.cpuMs();
  const trpc = await measure({ url: target.url, title: 'trpc-noop', seconds, connections, requests: [noop], progress });
  const trpcNoopCpuMsPerRequest = perRequest(target.cpuMs() - cpuBefore, trpc.requests);
  const event = await seedEvent(target.database, 1000);
  const tickets = await seedTickets(target.database, target.url, event, 100);
  console.error(`ceiling: single-row conditional UPDATE through the server's pool (${POOL_SIZE} connections) for ${seconds} s`);
  const res = await fetch(`${target.url}/internal/loadtest/db-update-rate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticketIds: tickets.map((t) => t.id), seconds, concurrency: POOL_SIZE }),
  });
  if (!res.ok) throw new Error(`DB probe failed: ${res.status} ${await res.text()}`);
  const db = (await res.json()) as { rps: number };
  return { trpcNoopRps: trpc.requestsPerSec, dbUpdateRps: Math.round(db.rps), trpcNoopCpuMsPerRequest };
}

/**
 * Seconds of the scenario itself run first and left out of the figures: a fresh server's first scans
 * plan the scan statement on each pooled connection and JIT-compile the path, which is start-up, not
 * the steady state a gate lives in (the ceilings get their own warm-up too).
 */
const SCENARIO_WARM_UP_SECONDS = 2;

async function runScenario(target: Target, name: ScenarioName, seconds: number, connections: number, rate?: number) {
  const scenario = await prepareScenario(name, target, { seconds: seconds + SCENARIO_WARM_UP_SECONDS, rate });
  console.error(`scenario ${name}: ${SCENARIO_WARM_UP_SECONDS} s warm-up, then ${seconds} s, ${connections} connections${rate ? `, fixed ${rate} req/s` : ''}`);
  await measure({ url: target.url, title: `${name} warm-up`, seconds: SCENARIO_WARM_UP_SECONDS, connections, rate, requests: scenario.requests });
  // The server's own answer times, when the scenario calls one procedure (browse calls two).
  const procedures = new Set(scenario.requests.map((r) => r.path.replace(/^\/trpc\//, '').split('?')[0]!));
  const procedure = procedures.size === 1 ? [...procedures][0]! : null;
  const sampler = setInterval(() => target.rss.sample(), 250);
  const before = await readServer(target.url, target.metricsToken, procedure);
  const cpuBefore = target.cpuMs();
  let m: Measurement;
  try {
    m = await measure({ url: target.url, title: name, seconds, connections, rate, requests: scenario.requests, progress });
  } finally {
    clearInterval(sampler);
  }
  target.rss.sample();
  const cpuMsPerRequest = perRequest(target.cpuMs() - cpuBefore, m.requests);
  const after = await readServer(target.url, target.metricsToken, procedure);
  // Upper bounds from the server's histogram buckets (loadtest/server-latency.ts): its time, not the generator's.
  const serverMs = procedure
    ? { procedure, p50AtMost: boundOfQuantileMs(before.histogram, after.histogram, 0.5), p99AtMost: boundOfQuantileMs(before.histogram, after.histogram, 0.99) }
    : null;
  const checks = await scenario.verify(m.requests - m.non2xx - m.errors);
  return { m, checks, cpuMsPerRequest, serverMs, callsPerBatchedStatement: inputsPerStatement(before, after) };
}

const perRequest = (cpuMs: number, requests: number) => (requests > 0 ? Math.round((cpuMs / requests) * 1000) / 1000 : 0);

function write(report: Report, m: Measurement, levels: ChartLevels = {}) {
  mkdirSync(args.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(args.out, `${stamp}-${report.scenario}`);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  // Whole seconds only: the last, partial second would draw a drop that never happened.
  writeFileSync(`${base}.html`, renderHtml(report, m.perSecond.slice(0, Math.max(1, Math.floor(m.seconds))), levels));
  if (args.compare) printComparison(args.compare, report);
  return base;
}

/** Exit codes: 2 refused (bad arguments, target unreachable, sign-in failed), 130 interrupted by Ctrl-C. */
async function againstTarget(url: string) {
  // Sizing measures the gate: check-in flat out, whatever --scenario says (as without --target).
  const scenario = (args.sizing ? 'checkin' : args.scenario) as TargetScenarioName;
  if (!TARGET_SCENARIOS.includes(scenario)) fail(`--scenario must be one of ${TARGET_SCENARIOS.join(', ')}`);
  const seconds = positive('duration', args.duration)!;
  let mix = DEFAULT_MIX;
  try {
    if (args.mix) mix = parseMix(args.mix);
  } catch (err) {
    fail((err as Error).message);
  }
  const rate = positive('rate', args.rate);
  const sizing = args.sizing
    ? {
        attendees: positive('attendees', args.attendees) ?? fail('--sizing needs --attendees'),
        arrivalMinutes: positive('arrival-minutes', args['arrival-minutes']) ?? fail('--sizing needs --arrival-minutes'),
        p99GoalMs: positive('p99-ms', args['p99-ms'])!,
      }
    : undefined;
  const result = await runAgainstTarget({
    url,
    scenario,
    seconds,
    connections: Math.round(positive('connections', args.connections)!),
    rate: sizing ? undefined : rate,
    tickets: Math.round(positive('tickets', args.tickets) ?? Math.min(20_000, Math.max(500, (rate ?? 300) * seconds))),
    gates: Math.round(positive('gates', args.gates)!),
    hotCapacity: Math.round(positive('hot-capacity', args['hot-capacity'])!),
    mix,
    livePages: Math.round(Number(args['live-pages'])) || 0,
    sizing,
    progress,
  });
  if (!result) process.exit(2);
  const report: Report = { ...result.report, interrupted: result.interrupted, sentByProcedure: result.sentByProcedure() };
  const base = write(report, result.measured, result.levels);
  console.log(JSON.stringify(report, null, 2));
  if (typeof report.verdict === 'string') console.log(report.verdict);
  console.error(`results: ${base}.json, ${base}.html`);
  if (result.interrupted) process.exit(130);
}

async function main() {
  if (args.help) return console.log(USAGE);
  if (args.target) return againstTarget(args.target);
  const seconds = positive('duration', args.duration)!;
  const connections = Math.round(positive('connections', args.connections)!);
  let rate = positive('rate', args.rate);
  const name = (args.sizing ? 'checkin' : args.scenario) as ScenarioName;
  if (!SCENARIOS.includes(name)) fail(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  const runtime = args.runtime as Runtime;
  if (runtime !== 'bundle' && runtime !== 'tsx') fail(`--runtime must be bundle or tsx, got "${args.runtime}"`);
  let sizing: ReturnType<typeof peakScansPerSecond> | undefined;
  if (args.sizing) {
    const attendees = positive('attendees', args.attendees) ?? fail('--sizing needs --attendees');
    const minutes = positive('arrival-minutes', args['arrival-minutes']) ?? fail('--sizing needs --arrival-minutes');
    sizing = peakScansPerSecond(attendees, minutes);
    rate = undefined;
  }

  // --profile: the server writes a V8 CPU profile (open in Chrome DevTools) into the results folder on exit.
  const nodeFlags = [...args['node-flags'].split(/\s+/).filter(Boolean), ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.out}`] : [])];
  const target = await startTarget({}, nodeFlags, runtime);
  try {
    const ceiling = await ceilings(target, Math.min(seconds, 10), connections);
    const { m, checks, cpuMsPerRequest, serverMs, callsPerBatchedStatement } = await runScenario(target, name, seconds, connections, rate);
    const report: Report = {
      scenario: name,
      requestsPerSec: m.requestsPerSec,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      serverMs,
      callsPerBatchedStatement,
      errors: m.errors,
      non2xx: m.non2xx,
      ceilings: { trpcNoopRps: ceiling.trpcNoopRps, dbUpdateRps: ceiling.dbUpdateRps },
      ratios: { vsTrpcNoop: ratio(m.requestsPerSec, ceiling.trpcNoopRps), vsDbUpdate: ratio(m.requestsPerSec, ceiling.dbUpdateRps) },
      rssMb: target.rss.peakMb(),
      runtime,
      // Server CPU per request: what a request costs the server process, independent of how busy the machine is.
      serverCpuMsPerRequest: { scenario: cpuMsPerRequest, trpcNoop: ceiling.trpcNoopCpuMsPerRequest },
      loadAverage: loadAverage(),
      run: { seconds: m.seconds, warmUpSeconds: SCENARIO_WARM_UP_SECONDS, connections, fixedRate: rate ?? null, requests: m.requests, maxMs: m.maxMs, timeouts: m.timeouts, statusCodes: m.statusCodes },
      checks,
    };
    if (sizing) {
      console.error(`sizing: ${sizing.attendees} attendees over ${sizing.arrivalMinutes} min → peak ${sizing.peakScansPerSec} scans/s (×${PEAK_FACTOR} the mean)`);
      const atPeak = await runScenario(target, 'checkin', seconds, connections, sizing.peakScansPerSec);
      const headroom = Math.floor((m.requestsPerSec / sizing.peakScansPerSec) * 10) / 10;
      report.sizing = { ...sizing, headroom, atPeak: { requestsPerSec: atPeak.m.requestsPerSec, p50Ms: atPeak.m.p50Ms, p99Ms: atPeak.m.p99Ms, errors: atPeak.m.errors, non2xx: atPeak.m.non2xx } };
      console.log(`this box handles ${headroom}× your peak at p99 ${atPeak.m.p99Ms} ms (peak ${sizing.peakScansPerSec} scans/s; capacity ${m.requestsPerSec} scans/s)`);
    }
    const base = write(report, m);
    console.log(JSON.stringify(report, null, 2));
    console.error(`results: ${base}.json, ${base}.html`);
  } finally {
    await target.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
