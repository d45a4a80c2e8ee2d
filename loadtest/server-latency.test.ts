import { describe, expect, it } from 'vitest';
import { boundOfQuantileMs, inputsPerStatement, parseReading, type Histogram } from './server-latency.ts';

/* The server's p50/p99 bounds come from the difference of two cumulative histogram readings. */

const reading = (counts: [number, number][]): Histogram => new Map(counts);

describe('boundOfQuantileMs', () => {
  const before = reading([[0.005, 100], [0.01, 150], [0.02, 160], [Infinity, 160]]);

  it('counts only the answers between the two readings', () => {
    // In the run: 10 answers ≤ 5 ms, 880 more ≤ 10 ms, 100 more ≤ 20 ms, 10 slower.
    const after = reading([[0.005, 110], [0.01, 1040], [0.02, 1150], [Infinity, 1160]]);
    expect(boundOfQuantileMs(before, after, 0.5)).toBe(10);
    expect(boundOfQuantileMs(before, after, 0.98)).toBe(20);
    expect(boundOfQuantileMs(before, after, 0.995)).toBe(Infinity);
  });

  it('has no bound for a run with no answers, or a procedure never seen', () => {
    expect(boundOfQuantileMs(before, before, 0.99)).toBeNull();
    expect(boundOfQuantileMs(new Map(), new Map(), 0.99)).toBeNull();
  });
});

describe('parseReading', () => {
  const text = (statements: number, inputs: number) => `# HELP gatekeeper_db_batched_statements_total Batched statements
gatekeeper_db_batched_statements_total{instance="0"} ${statements}
gatekeeper_db_batched_inputs_total{instance="0"} ${inputs}
gatekeeper_trpc_request_duration_seconds_bucket{le="0.005",procedure="checkin.scan",status="200"} 7
gatekeeper_trpc_request_duration_seconds_bucket{le="0.005",procedure="checkin.scan",status="400"} 2
gatekeeper_trpc_request_duration_seconds_bucket{le="0.005",procedure="health.ping",status="200"} 50
gatekeeper_trpc_request_duration_seconds_bucket{le="+Inf",procedure="checkin.scan",status="200"} 9`;

  it("sums one procedure's buckets over statuses, and reads the batched statements' counters", () => {
    const reading = parseReading(text(4, 10), 'checkin.scan');
    expect([...reading.histogram]).toEqual([[0.005, 9], [Infinity, 9]]);
    expect(reading.batched).toEqual({ statements: 4, inputs: 10 });
  });

  it('gives calls per statement between two readings, none when no statement ran', () => {
    const before = parseReading(text(4, 10), null);
    expect(inputsPerStatement(before, parseReading(text(14, 135), null))).toBe(12.5);
    expect(inputsPerStatement(before, before)).toBeNull();
  });
});
