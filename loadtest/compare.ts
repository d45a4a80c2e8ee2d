import type { Report } from './report.ts';

/** The figures `--compare previous.json` sets side by side, and whether more is better. */
const FIGURES: { path: string; label: string; higherIsBetter: boolean }[] = [
  { path: 'requestsPerSec', label: 'requests/s', higherIsBetter: true },
  { path: 'p50Ms', label: 'p50 ms', higherIsBetter: false },
  { path: 'p99Ms', label: 'p99 ms', higherIsBetter: false },
  { path: 'errors', label: 'connection errors', higherIsBetter: false },
  { path: 'non2xx', label: 'non-2xx answers', higherIsBetter: false },
  { path: 'ceilings.trpcNoopRps', label: 'no-op tRPC ceiling req/s', higherIsBetter: true },
  { path: 'ratios.vsTrpcNoop', label: 'ratio vs no-op', higherIsBetter: true },
  { path: 'sizing.capacityScansPerSec', label: 'scan capacity /s', higherIsBetter: true },
  { path: 'sizing.sustainedScansPerSec', label: 'scans/s within the p99 goal', higherIsBetter: true },
  { path: 'sizing.headroom', label: 'headroom ×', higherIsBetter: true },
];

const at = (report: unknown, path: string) =>
  path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), report);

/** One line per figure both runs have: before → now, the change in %, and whether that is better or worse. */
export function compareReports(previous: Report, current: Report): string[] {
  const lines = [`compared with the previous run (${previous.scenario}${previous.target ? ` on ${String(previous.target)}` : ''}):`];
  for (const f of FIGURES) {
    const before = at(previous, f.path);
    const now = at(current, f.path);
    if (typeof before !== 'number' || typeof now !== 'number') continue;
    const change = before === 0 ? (now === 0 ? 0 : Infinity) : ((now - before) / before) * 100;
    const verdict = now === before ? 'same' : now > before === f.higherIsBetter ? 'better' : 'worse';
    const pct = Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${change.toFixed(1)} %` : 'new';
    lines.push(`  ${f.label}: ${before} → ${now} (${pct}, ${verdict})`);
  }
  return lines;
}
