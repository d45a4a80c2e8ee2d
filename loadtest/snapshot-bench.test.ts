import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/* The snapshot benchmark as an operator runs it, on a small event: it completes and reports. Not speed. */
const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), 'gk-snapshot-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run loadtest:snapshot (smoke)', () => {
  it('downloads every ticket, then deltas hold nothing, then exactly the checked-in ones', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'loadtest/snapshot-bench.ts', '--tickets', '300', '--deltas', '2', '--out', out], {
      maxBuffer: 10 * 1024 * 1024,
    });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      benchmark: 'snapshot',
      tickets: 300,
      full: { pages: 1, ms: expect.any(Number), mb: expect.any(Number) },
      emptyDelta: { medianMs: expect.any(Number), bytes: expect.any(Number) },
      deltaAfterCheckins: { checkins: 3 },
    });
    expect(report.deltaAfterCheckins.tickets).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
