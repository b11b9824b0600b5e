/** Order statistics for the benchmark: every figure is a median over repeated runs with its spread. */

/** The summary of a set of samples. */
export interface Summary {
  runs: number;
  median: number;
  p25: number;
  p75: number;
  p99: number;
  min: number;
  max: number;
}

/** The q-quantile (0..1) of sorted samples, by linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) {
    throw new Error("quantile of no samples");
  }
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Summarises samples (any order). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    p99: quantile(sorted, 0.99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** The spread of a summary as the interquartile range relative to the median, in percent. */
export function relativeSpread(summary: Summary): number {
  return summary.median === 0 ? 0 : ((summary.p75 - summary.p25) / summary.median) * 100;
}

/** Medians of per-run ratios: each run pairs one measurement with its baseline taken right beside it. */
export function pairedRatios(values: readonly number[], baselines: readonly number[]): number[] {
  if (values.length !== baselines.length) {
    throw new Error("paired samples of different lengths");
  }
  return values.map((value, i) => value / baselines[i]);
}
