/** The p-th percentile of ascending `sorted` (nearest rank); 0 for no samples. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Milliseconds as reported: two decimals. */
export const round = (n: number) => Math.round(n * 100) / 100;

/** A figure as a ratio to its ceiling, two decimals; 0 when the ceiling was not measured. */
export const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);
