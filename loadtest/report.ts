import type { SecondSample } from './measure.ts';

export type Report = {
  scenario: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  ceilings: { trpcNoopRps: number; dbUpdateRps: number };
  ratios: { vsTrpcNoop: number; vsDbUpdate: number };
  rssMb: number;
  [more: string]: unknown;
};

const W = 760;
const H = 220;
const PAD = { left: 56, right: 16, top: 24, bottom: 28 };

type Series = { name: string; color: string; values: number[] };

/** A line chart as inline SVG: no scripts, no CDN, opens from disk. */
function chart(title: string, unit: string, series: Series[]): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values)) * 1.1;
  const x = (i: number) => PAD.left + (i / Math.max(1, n - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = max * f;
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>` +
        `<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v >= 100 ? Math.round(v) : v.toFixed(1)}</text>`;
    })
    .join('');
  const lines = series
    .map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}"/>`)
    .join('');
  const legend = series
    .map((s, i) => `<text x="${PAD.left + 10 + i * 140}" y="16" fill="${s.color}" font-size="12">■ ${s.name}</text>`)
    .join('');
  return `<figure><figcaption>${title} (${unit}, per second)</figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}">${grid}${lines}${legend}
<text x="${W / 2}" y="${H - 6}" text-anchor="middle" font-size="11">seconds</text></svg></figure>`;
}

const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

export function renderHtml(report: Report, perSecond: SecondSample[]): string {
  const rows = Object.entries({
    'requests/s': report.requestsPerSec,
    'p50 ms': report.p50Ms,
    'p99 ms': report.p99Ms,
    errors: report.errors,
    'non-2xx': report.non2xx,
    'no-op tRPC ceiling (req/s)': report.ceilings.trpcNoopRps,
    'DB update ceiling (updates/s)': report.ceilings.dbUpdateRps,
    'vs no-op tRPC': report.ratios.vsTrpcNoop,
    'vs DB update': report.ratios.vsDbUpdate,
    'peak RSS (MB)': report.rssMb,
  })
    .map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Load test: ${esc(report.scenario)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:820px}th{text-align:left;padding-right:1rem}figure{margin:1.5rem 0}</style>
</head><body><h1>Load test: ${esc(report.scenario)}</h1>
<table>${rows}</table>
${chart('Throughput', 'requests', [{ name: 'requests/s', color: '#1f6feb', values: perSecond.map((s) => s.requests) }])}
${chart('Latency', 'ms', [
  { name: 'p50', color: '#2da44e', values: perSecond.map((s) => s.p50Ms) },
  { name: 'p99', color: '#cf222e', values: perSecond.map((s) => s.p99Ms) },
])}
<details><summary>Full JSON</summary><pre>${esc(JSON.stringify(report, null, 2))}</pre></details>
</body></html>`;
}
