import { describe, expect, it } from 'vitest';
import { compareReports } from './compare.ts';
import { errorsByKind, renderHtml, type Report } from './report.ts';
import { devicesPerGate } from './sizing.ts';
import { parseMix } from './target-scenarios.ts';

/* The load test's arithmetic and wording, without a server: sizing, the mix flag, errors, comparison. */

const report = (over: Partial<Report>): Report => ({
  scenario: 'mixed',
  requestsPerSec: 100,
  p50Ms: 10,
  p99Ms: 50,
  errors: 0,
  non2xx: 0,
  ceilings: { trpcNoopRps: 1000, dbUpdateRps: 0 },
  ratios: { vsTrpcNoop: 0.1, vsDbUpdate: 0 },
  rssMb: 0,
  ...over,
});

describe('load-test figures', () => {
  it('devices per gate: each scanner at most 80 % busy at ~3 s per person plus the answer', () => {
    // 89 scans/s over 6 gates ≈ 14.8/s per gate; one device does 1/3.05 s ≈ 0.33/s, 0.26/s at 80 %.
    expect(devicesPerGate(89, 6, 50)).toBe(57);
    expect(devicesPerGate(1, 4, 10)).toBe(1);
    // A slower answer needs more devices.
    expect(devicesPerGate(89, 6, 2000)).toBeGreaterThan(devicesPerGate(89, 6, 50));
  });

  it('--mix takes kind=share pairs and refuses anything else', () => {
    expect(parseMix('qr=50,code=50')).toEqual({ qr: 50, code: 50, repeat: 0, sale: 0, view: 0, dashboard: 0 });
    expect(() => parseMix('qr=50,dance=1')).toThrow(/--mix takes qr=N,code=N,repeat=N,sale=N,view=N,dashboard=N, got "dance=1"/);
    expect(() => parseMix('qr=-1')).toThrow(/--mix takes/);
    expect(() => parseMix('qr=0')).toThrow(/at least one share/);
  });

  it('errors by kind name what an operator should look at', () => {
    expect(errorsByKind({ statusCodes: { 200: 90, 409: 5, 429: 2, 503: 1, 401: 1 }, errors: 3, timeouts: 1 })).toEqual({
      '409 conflict (sold out, order state)': 5,
      '429 rate limited': 2,
      '503 server error': 1,
      '401 refused (device or sign-in)': 1,
      'timeouts (no answer in 10 s)': 1,
      'connection errors': 2,
    });
  });

  it('--compare prints each figure both runs have, with the change and whether it is better', () => {
    const lines = compareReports(report({ requestsPerSec: 100, p99Ms: 50 }), report({ requestsPerSec: 150, p99Ms: 60 }));
    expect(lines).toContain('  requests/s: 100 → 150 (+50.0 %, better)');
    expect(lines).toContain('  p99 ms: 50 → 60 (+20.0 %, worse)');
    expect(lines).toContain('  non-2xx answers: 0 → 0 (+0.0 %, same)');
    expect(lines.some((l) => l.includes('headroom'))).toBe(false);
  });

  it('the HTML report draws the levels as dashed lines, with seconds along the bottom, and no scripts', () => {
    const html = renderHtml(report({ target: 'https://staging.example.org', verdict: 'Holds your event' }), [{ second: 0, requests: 90, p50Ms: 9, p99Ms: 40 }, { second: 1, requests: 110, p50Ms: 11, p99Ms: 60 }], {
      throughput: [{ name: "your event's peak", color: '#cf222e', value: 89 }],
      latency: [{ name: 'p99 goal', color: '#cf222e', value: 200 }],
    });
    expect(html).toContain('<strong>Holds your event</strong>');
    expect(html.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(html).toContain("your event's peak 89");
    expect(html).toContain('time since start (s)');
    expect(html).toContain('not measured (target mode)');
    expect(html).not.toMatch(/<script/);
  });
});
