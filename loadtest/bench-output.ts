import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The box's 1-minute load average, kept with every figure: a busy box explains a slow run. */
export const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** A benchmark's report: printed as JSON on stdout (scripts and tests read it) and saved under `out`. */
export function saveBenchReport(out: string, kind: string, report: unknown) {
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}-${kind}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
  console.error(`results: ${file}`);
}
