import { normalCdf } from './distributions'
import type { Rng } from './random'

/**
 * The paired permutation (sign-flip) test of "no difference" between two models scored on the same
 * instances. Under the null hypothesis each per-instance difference d_i = a_i − b_i is as likely
 * to have the opposite sign, so the statistic T = Σ_s w_s · Σ_i d_si (the mean difference when
 * w = 1/n; with several strata, e.g. benchmarks of one category, each stratum's mean weighted)
 * is compared with its values under random sign flips. p = (1 + #{|T*| ≥ |T|}) / (1 + B) for B
 * random flips (seeded); with few non-zero differences (2^m ≤ B) every flip is enumerated and
 * p = #{|T*| ≥ |T|} / 2^m exactly. Zero differences cannot change sign and are skipped.
 */

export interface SignFlipStratum {
  /** Per-instance paired differences. */
  diffs: ArrayLike<number>
  /** Weight of the stratum's sum in the statistic (1 / n for a mean). */
  weight: number
}

export interface PermutationResult {
  /** The observed statistic (the weighted mean difference). */
  statistic: number
  p: number
  /**
   * 'exact': all 2^m sign patterns; 'monte-carlo': `resamples` random ones; 'normal': more than
   * NORMAL_MIN_TERMS differences, the permutation distribution's normal limit (see below).
   */
  method: 'exact' | 'monte-carlo' | 'normal'
  resamples: number
}

export const DEFAULT_PERMUTATIONS = 10_000

/**
 * Above this many non-zero differences the p-value comes from the normal limit of the sign-flip
 * distribution: under the null T* = Σ ±w_i has mean 0 and variance Σ w_i² exactly, and for this
 * many bounded terms it is normal to within the Monte Carlo error of 10,000 flips (Lyapunov's CLT;
 * checked against the Monte Carlo p in the tests). It is also what a leaderboard needs: 10,000
 * random flips cannot give a p below 1/10,001, yet Holm over thousands of comparisons asks for
 * p < 0.05 / m; and it costs O(n) instead of O(n · B).
 */
export const NORMAL_MIN_TERMS = 200

export function signFlipTest(
  strata: readonly SignFlipStratum[],
  rng: Rng,
  resamples = DEFAULT_PERMUTATIONS,
): PermutationResult {
  const terms: number[] = []
  for (const s of strata)
    for (let i = 0; i < s.diffs.length; i++) {
      const d = s.diffs[i]!
      if (!Number.isFinite(d))
        throw new RangeError(`signFlipTest: a difference is not a finite number (${d})`)
      if (d !== 0) terms.push(d * s.weight)
    }
  const w = Float64Array.from(terms)
  let statistic = 0
  let scale = 0
  for (const x of w) {
    statistic += x
    scale += Math.abs(x)
  }
  const observed = Math.abs(statistic) - 1e-12 * scale
  const m = w.length
  if (m === 0) return { statistic, p: 1, method: 'exact', resamples: 0 }
  if (2 ** m <= resamples) return exactFlips(w, observed, statistic)
  if (m > NORMAL_MIN_TERMS) {
    let variance = 0
    for (const x of w) variance += x * x
    const z = Math.max(0, observed) / Math.sqrt(variance)
    return { statistic, p: Math.min(1, 2 * normalCdf(-z)), method: 'normal', resamples: 0 }
  }
  // Equal |terms| flip alike: with c_v terms of size v, T* = Σ_v v · (2·H_v − c_v) where H_v, the
  // number of + signs, is the popcount of c_v random bits — the same distribution as flipping each
  // term, at a cost per flip of (distinct values + m / 32) draws instead of m.
  const groups = new Map<number, number>()
  for (const x of w) groups.set(Math.abs(x), (groups.get(Math.abs(x)) ?? 0) + 1)
  const sizes = Float64Array.from(groups.keys())
  const counts = Int32Array.from(groups.values())
  let hits = 0
  for (let r = 0; r < resamples; r++) {
    let t = 0
    for (let g = 0; g < sizes.length; g++) {
      const c = counts[g]!
      let plus = 0
      let left = c
      for (; left >= 32; left -= 32) plus += popcount(rng.nextU32())
      if (left > 0) plus += popcount(rng.nextU32() & ((1 << left) - 1))
      t += sizes[g]! * (2 * plus - c)
    }
    if (Math.abs(t) >= observed) hits++
  }
  return { statistic, p: (1 + hits) / (1 + resamples), method: 'monte-carlo', resamples }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

function exactFlips(w: Float64Array, observed: number, statistic: number): PermutationResult {
  const m = w.length
  const total = 2 ** m
  let hits = 0
  for (let mask = 0; mask < total; mask++) {
    let t = 0
    for (let i = 0; i < m; i++) t += mask & (1 << i) ? -w[i]! : w[i]!
    if (Math.abs(t) >= observed) hits++
  }
  return { statistic, p: hits / total, method: 'exact', resamples: total }
}

/** The one-stratum case: the paired sign-flip test of the mean difference. */
export function pairedSignFlipTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rng: Rng,
  resamples = DEFAULT_PERMUTATIONS,
): PermutationResult {
  if (a.length !== b.length)
    throw new RangeError('pairedSignFlipTest: the two models must have the same instances')
  const diffs = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) diffs[i] = a[i]! - b[i]!
  return signFlipTest([{ diffs, weight: a.length ? 1 / a.length : 0 }], rng, resamples)
}
