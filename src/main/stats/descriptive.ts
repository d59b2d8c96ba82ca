/** Descriptive statistics shared by every feature. Each returns null on empty input, never 0. */

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null
  let s = 0
  for (const x of xs) s += x
  return s / xs.length
}

/** Sample standard deviation (n − 1); null below 2 values. */
export function sampleSd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null
  const m = mean(xs) as number
  let s = 0
  for (const x of xs) s += (x - m) ** 2
  return Math.sqrt(s / (xs.length - 1))
}

/**
 * The p-quantile of sorted values by linear interpolation between order statistics (R's type 7,
 * numpy's default). `sorted` must be ascending.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('quantile of no values')
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must lie in [0, 1], got ${p}`)
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (h - lo) * (b - a)
}

/** The 2.5% and 97.5% (or other) percentile interval of a sample of bootstrap estimates. */
export function percentileInterval(values: Float64Array | number[], level = 0.95): [number, number] {
  const sorted = Float64Array.from(values).sort()
  const tail = (1 - level) / 2
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)]
}
