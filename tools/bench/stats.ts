// The two statistics every figure uses, in one place for the measuring and the reporting.

/** The value below which a fraction `p` of the sorted values lie (NaN for none). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN);
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
