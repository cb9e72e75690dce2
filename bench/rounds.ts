// The target ratios from rounds measured in alternation with their baselines (decision 0098). On this shared
// machine the same code's saturation moves by 10 to 30 % within an hour; a baseline taken minutes before the figure
// it is set beside carries that drift into the ratio. So each figure is taken between two runs of its baseline
// (B2 - ingest - B2 - ingest - ... - B2) and set beside their mean, and the verdict is the median of the rounds.

export function median(values: readonly number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Each figure over the mean of the baseline runs either side of it: `baselines` holds one more run than `figures`. */
export function bracketedRatios(figures: readonly number[], baselines: readonly number[]): number[] {
  if (baselines.length !== figures.length + 1)
    throw new Error(`${figures.length} figures need ${figures.length + 1} baseline runs around them, not ${baselines.length}`);
  return figures.map((f, k) => {
    const b = (baselines[k]! + baselines[k + 1]!) / 2;
    return b > 0 && Number.isFinite(f) ? f / b : NaN;
  });
}

/** The index of the round whose value is the median (the lower middle one for an even count): its full figures are printed. */
export function medianIndex(values: readonly number[]): number {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)]?.[1] ?? 0;
}
