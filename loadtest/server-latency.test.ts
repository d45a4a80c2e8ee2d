import { describe, expect, it } from 'vitest';
import { boundOfQuantileMs, type Histogram } from './server-latency.ts';

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
