import fCdfImpl from '@stdlib/stats-base-dists-f-cdf'
import fQuantileImpl from '@stdlib/stats-base-dists-f-quantile'
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf'
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf'
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile'
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf'
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile'

/**
 * Distribution functions, from @stdlib (maintained, tested against R and SciPy). Every statistic in
 * WardEval takes its distributions from here; arguments are checked so that a NaN never passes
 * silently into a p-value or an interval.
 */

function checkDf(name: string, ...df: number[]): void {
  for (const d of df)
    if (!(d > 0 && Number.isFinite(d)))
      throw new RangeError(`${name}: degrees of freedom must be positive and finite (${df.join(', ')})`)
}

function checkP(name: string, p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`${name}: p must lie strictly between 0 and 1, got ${p}`)
}

/** P(X ≤ x) for X ~ F(d1, d2). Fractional degrees of freedom are allowed. */
export function fCdf(x: number, d1: number, d2: number): number {
  checkDf('fCdf', d1, d2)
  if (Number.isNaN(x)) throw new RangeError('fCdf: x is NaN')
  return x <= 0 ? 0 : fCdfImpl(x, d1, d2)
}

/** P(X > x) for X ~ F(d1, d2): the p-value of an F test (by symmetry, without 1 − CDF cancellation). */
export function fSurvival(x: number, d1: number, d2: number): number {
  checkDf('fSurvival', d1, d2)
  if (Number.isNaN(x)) throw new RangeError('fSurvival: x is NaN')
  if (x <= 0) return 1
  // P(F(d1,d2) > x) = P(F(d2,d1) < 1/x)
  return fCdfImpl(1 / x, d2, d1)
}

/** The p-quantile of F(d1, d2). */
export function fQuantile(p: number, d1: number, d2: number): number {
  checkDf('fQuantile', d1, d2)
  checkP('fQuantile', p)
  return fQuantileImpl(p, d1, d2)
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`binomialCdf: n must be a whole number ≥ 0, got ${n}`)
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomialCdf: p must lie in [0, 1], got ${p}`)
  return binomialCdfImpl(k, n, p)
}

/** P(Z ≤ z) for the standard normal. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('normalCdf: z is NaN')
  return normalCdfImpl(z, 0, 1)
}

/** The p-quantile of the standard normal. */
export function normalQuantile(p: number): number {
  checkP('normalQuantile', p)
  return normalQuantileImpl(p, 0, 1)
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  checkDf('tCdf', df)
  if (Number.isNaN(t)) throw new RangeError('tCdf: t is NaN')
  return tCdfImpl(t, df)
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  checkDf('tQuantile', df)
  checkP('tQuantile', p)
  return tQuantileImpl(p, df)
}
