import type { Measurement, SecondSample } from './measure.ts';

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
  /** The server's own answer times for a one-procedure scenario (loadtest/server-latency.ts); null otherwise. */
  serverMs?: { procedure: string; p50AtMost: number | null; p99AtMost: number | null } | null;
  /** Calls per batched statement in the run (scans per gate statement; db/statement-batches.ts), null when none ran. */
  callsPerBatchedStatement?: number | null;
  /** The answer in plain words (sizing). */
  verdict?: string;
  [more: string]: unknown;
};

const W = 760;
const H = 220;
const PAD = { left: 56, right: 16, top: 24, bottom: 28 };

type Series = { name: string; color: string; values: number[] };
/** A level drawn across a chart as a dashed line: a ceiling, the event's peak, a latency goal. */
export type Level = { name: string; color: string; value: number };

/** A line chart as inline SVG, with seconds along the bottom: no scripts, no CDN, opens from disk. */
function chart(title: string, unit: string, series: Series[], levels: Level[] = []): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values), ...levels.map((l) => l.value)) * 1.1;
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
  const dashed = levels
    .map((l) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(l.value)}" y2="${y(l.value)}" stroke="${l.color}" stroke-dasharray="6 4"/>` +
      `<text x="${W - PAD.right - 4}" y="${y(l.value) - 4}" text-anchor="end" fill="${l.color}" font-size="11">${esc(l.name)} ${l.value}</text>`)
    .join('');
  const step = Math.max(1, Math.ceil(n / 10));
  const ticks = Array.from({ length: n }, (_, i) => i)
    .filter((i) => i % step === 0)
    .map((i) => `<text x="${x(i)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${i}</text>`)
    .join('');
  const legend = series
    .map((s, i) => `<text x="${PAD.left + 10 + i * 140}" y="16" fill="${s.color}" font-size="12">■ ${s.name}</text>`)
    .join('');
  return `<figure><figcaption>${title} (${unit}, per second)</figcaption>
<svg viewBox="0 0 ${W} ${H + 10}" width="${W}" height="${H + 10}" role="img" aria-label="${title}">${grid}${lines}${dashed}${ticks}${legend}
<text x="${W / 2}" y="${H + 6}" text-anchor="middle" font-size="11">time since start (s)</text>
<text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle" font-size="11">${unit}</text></svg></figure>`;
}

/**
 * Failures by what they mean to an operator: HTTP statuses grouped, plus requests that got no answer.
 * 409 is expected in an on-sale run (SOLD_OUT once the hot type is gone).
 */
export function errorsByKind(m: Pick<Measurement, 'statusCodes' | 'errors' | 'timeouts'>): Record<string, number> {
  const kinds: Record<string, number> = {};
  const add = (kind: string, n: number) => n > 0 && (kinds[kind] = (kinds[kind] ?? 0) + n);
  for (const [code, count] of Object.entries(m.statusCodes)) {
    const c = Number(code);
    if (c < 400) continue;
    if (c === 409) add('409 conflict (sold out, order state)', count);
    else if (c === 429) add('429 rate limited', count);
    else if (c === 401 || c === 403) add(`${c} refused (device or sign-in)`, count);
    else if (c >= 500) add(`${c} server error`, count);
    else add(`${c} client error`, count);
  }
  add('timeouts (no answer in 10 s)', m.timeouts);
  add('connection errors', m.errors - m.timeouts);
  return kinds;
}

function errorTable(kinds: unknown): string {
  if (!kinds || typeof kinds !== 'object') return '';
  const rows = Object.entries(kinds as Record<string, number>).map(([k, n]) => `<tr><th>${esc(k)}</th><td>${n}</td></tr>`);
  return `<h2>Errors by kind</h2>${rows.length ? `<table>${rows.join('')}</table>` : '<p>None.</p>'}`;
}

const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/** The dashed levels the target mode draws: throughput ceilings and the event's peak; a latency goal. */
export type ChartLevels = { throughput?: Level[]; latency?: Level[] };

export function renderHtml(report: Report, perSecond: SecondSample[], levels: ChartLevels = {}): string {
  // A remote install's database and memory can't be seen from the generator.
  const local = (value: number) => (report.target ? 'not measured (target mode)' : value);
  const rows = Object.entries({
    'requests/s': report.requestsPerSec,
    'p50 ms': report.p50Ms,
    'p99 ms': report.p99Ms,
    "server's own p50 / p99 ms (at most: its histogram's buckets)": report.serverMs
      ? `${report.serverMs.p50AtMost} / ${report.serverMs.p99AtMost} (${esc(report.serverMs.procedure)})`
      : 'not measured',
    'calls per batched statement (scans per gate statement)': report.callsPerBatchedStatement ?? 'none ran',
    errors: report.errors,
    'non-2xx': report.non2xx,
    'no-op tRPC ceiling (req/s)': report.ceilings.trpcNoopRps,
    'DB update ceiling (updates/s)': local(report.ceilings.dbUpdateRps),
    'vs no-op tRPC': report.ratios.vsTrpcNoop,
    'vs DB update': local(report.ratios.vsDbUpdate),
    'peak RSS (MB)': local(report.rssMb),
  })
    .map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Load test: ${esc(report.scenario)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:820px}th{text-align:left;padding-right:1rem}figure{margin:1.5rem 0}</style>
</head><body><h1>Load test: ${esc(report.scenario)}</h1>
${typeof report.verdict === 'string' ? `<p><strong>${esc(report.verdict)}</strong></p>` : ''}
<table>${rows}</table>
${chart('Throughput', 'requests/s', [{ name: 'requests/s', color: '#1f6feb', values: perSecond.map((s) => s.requests) }], levels.throughput)}
${chart('Latency', 'ms', [
  { name: 'p50', color: '#2da44e', values: perSecond.map((s) => s.p50Ms) },
  { name: 'p99', color: '#cf222e', values: perSecond.map((s) => s.p99Ms) },
], levels.latency)}
${errorTable(report.errorsByKind)}
<details><summary>Full JSON</summary><pre>${esc(JSON.stringify(report, null, 2))}</pre></details>
</body></html>`;
}
