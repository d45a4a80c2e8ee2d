/** The p-th percentile of ascending `sorted` (nearest rank); 0 for no samples. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Milliseconds as reported: two decimals. */
export const round = (n: number) => Math.round(n * 100) / 100;
