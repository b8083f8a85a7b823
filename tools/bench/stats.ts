// The statistics every figure uses, in one place for the measuring and the reporting.

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

/**
 * Round by round, one server's figure over another's (measured back to back in each round), so
 * that a slow moment on a shared machine touches both sides of every ratio.
 */
export function roundRatios<Key extends string>(
  samples: Record<Key, number>[],
  baseline: Record<Key, number>[],
  key: Key,
): number[] {
  return samples
    .map((sample, round) => sample[key] / (baseline[round]?.[key] ?? NaN))
    .filter((ratio) => Number.isFinite(ratio));
}
