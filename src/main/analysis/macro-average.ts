/**
 * Macro-averages of normalised benchmark scores (SOM plots/1_heatmap.py lines 110-162 per category
 * and subcategory; tables/1_win_rate_table.py line 66 overall): the unweighted mean over benchmarks,
 * whatever their size. Missing benchmarks are skipped (pandas `mean` skips NaN); the SD is pandas'
 * default sample SD (ddof = 1), undefined for fewer than 2 benchmarks.
 */

export interface MeanSd {
  mean: number | null
  sd: number | null
  n: number
}

export function meanAndSd(values: readonly (number | null)[]): MeanSd {
  const xs = values.filter((v): v is number => v !== null)
  const n = xs.length
  if (n === 0) return { mean: null, sd: null, n }
  const mean = xs.reduce((s, x) => s + x, 0) / n
  if (n < 2) return { mean, sd: null, n }
  const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0)
  return { mean, sd: Math.sqrt(ss / (n - 1)), n }
}

/** Unweighted mean of the non-null values; null when there are none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  return meanAndSd(values).mean
}
