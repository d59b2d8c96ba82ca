import { percentileInterval } from './descriptive'
import type { Rng } from './random'

/**
 * Percentile bootstrap over instances (Efron & Tibshirani 1993, ch. 13): resample the n instances
 * with replacement B times, recompute the mean, and take the 2.5% and 97.5% quantiles of the B
 * means. Paired: several models' values over the same instances are resampled with the same
 * indices, so differences between them keep their pairing. Seeded: the same data and seed always
 * give the same interval.
 */

export const DEFAULT_RESAMPLES = 2_000

export interface Interval {
  lo: number
  hi: number
}

/** One resample's indices: n uniform draws from [0, n), written into `out`. */
export function drawIndices(rng: Rng, n: number, out: Int32Array): void {
  rng.fillInts(out, n, n)
}

/**
 * Bootstrap means of several equally long value vectors resampled together (paired): returns, per
 * vector, its B resampled means.
 */
export function pairedBootstrapMeans(
  columns: readonly ArrayLike<number>[],
  rng: Rng,
  resamples = DEFAULT_RESAMPLES,
): Float64Array[] {
  const n = columns[0]?.length ?? 0
  for (const c of columns)
    if (c.length !== n)
      throw new RangeError('pairedBootstrapMeans: every column must have the same instances')
  if (n === 0) throw new RangeError('pairedBootstrapMeans: no instances to resample')
  const out = columns.map(() => new Float64Array(resamples))
  const idx = new Int32Array(n)
  for (let r = 0; r < resamples; r++) {
    drawIndices(rng, n, idx)
    columns.forEach((c, k) => {
      let s = 0
      for (let i = 0; i < n; i++) s += c[idx[i]!]!
      out[k]![r] = s / n
    })
  }
  return out
}

/** The mean and its 95% (or `level`) percentile-bootstrap interval. */
export function bootstrapMeanInterval(
  values: ArrayLike<number>,
  rng: Rng,
  resamples = DEFAULT_RESAMPLES,
  level = 0.95,
): { mean: number; ci: Interval } {
  const [means] = pairedBootstrapMeans([values], rng, resamples)
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]!
  const [lo, hi] = percentileInterval(means!, level)
  return { mean: s / values.length, ci: { lo, hi } }
}

/** The percentile interval of the difference of two paired bootstrap samples (a − b). */
export function differenceInterval(a: Float64Array, b: Float64Array, level = 0.95): Interval {
  const d = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!
  const [lo, hi] = percentileInterval(d, level)
  return { lo, hi }
}
