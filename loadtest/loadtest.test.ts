import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The load-test tool itself, as an operator runs it: a 3-second smoke of each scenario against a server
 * it starts and seeds. Checks the result files and that nothing failed — not speed (that is the benchmark's job).
 */
const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), 'gk-loadtest-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function smoke(args: string[]) {
  const dir = mkdtempSync(path.join(out, 'run-'));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'loadtest/run.ts', ...args, '--duration', '3', '--connections', '8', '--out', dir], {
    maxBuffer: 10 * 1024 * 1024,
  });
  const files = readdirSync(dir);
  const json = files.find((f) => f.endsWith('.json'))!;
  expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(1);
  const html = readFileSync(path.join(dir, files.find((f) => f.endsWith('.html'))!), 'utf8');
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  return { report: JSON.parse(readFileSync(path.join(dir, json), 'utf8')), stdout };
}

const shape = {
  requestsPerSec: expect.any(Number),
  p50Ms: expect.any(Number),
  p99Ms: expect.any(Number),
  errors: 0,
  non2xx: 0,
  ceilings: { trpcNoopRps: expect.any(Number), dbUpdateRps: expect.any(Number) },
  ratios: { vsTrpcNoop: expect.any(Number), vsDbUpdate: expect.any(Number) },
  rssMb: expect.any(Number),
};

describe('npm run loadtest (3-second smoke)', () => {
  for (const scenario of ['browse', 'order', 'checkin']) {
    it(`--scenario ${scenario} writes its JSON and HTML report without errors`, async () => {
      const { report } = await smoke(['--scenario', scenario]);
      expect(report).toMatchObject({ scenario, ...shape });
      expect(report.requestsPerSec).toBeGreaterThan(0);
      expect(report.ceilings.trpcNoopRps).toBeGreaterThan(0);
      expect(report.ceilings.dbUpdateRps).toBeGreaterThan(0);
      if (scenario === 'order') expect(report.checks).toMatchObject({ oversold: false, everyOkIsAnOrder: true, everyOrderHoldsItsTicket: true });
    }, 180_000);
  }

  it('--sizing turns a crowd into a peak rate and prints the headroom', async () => {
    const { report, stdout } = await smoke(['--sizing', '--attendees', '80000', '--arrival-minutes', '30']);
    expect(report.sizing).toMatchObject({ attendees: 80000, arrivalMinutes: 30, peakScansPerSec: 89 });
    expect(stdout).toMatch(/this box handles [\d.]+× your peak at p99 [\d.]+ ms/);
  }, 240_000);

  it('refuses bad arguments with the usage', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'loadtest/run.ts', '--scenario', 'dance']).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2, stderr: expect.stringContaining('--scenario must be one of checkin, order, browse') });
  });
});
