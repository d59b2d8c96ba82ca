/**
 * The F distribution's CDF and quantile, for the confidence intervals of intraclass correlations.
 * CDF: F(x; d1, d2) = I_{d1·x / (d1·x + d2)}(d1/2, d2/2), the regularized incomplete beta function,
 * evaluated by its continued fraction (modified Lentz; Numerical Recipes §6.4) with the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly. Degrees of freedom may be
 * fractional (Satterthwaite's approximation for ICC(2,1) needs that). Quantile: the CDF inverted by
 * bracketing and bisection, to a relative precision of about 1e-12.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`)
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let a = LANCZOS[0] as number
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-15) return h
  }
  throw new Error(`incomplete beta: no convergence for x=${x}, a=${a}, b=${b}`)
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta: a and b must be positive (a=${a}, b=${b})`)
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta: x must lie in [0, 1], got ${x}`)
  if (x === 0 || x === 1) return x
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b
}

function checkDf(d1: number, d2: number): void {
  if (!(d1 > 0 && d2 > 0 && Number.isFinite(d1) && Number.isFinite(d2)))
    throw new RangeError(`F distribution: degrees of freedom must be positive and finite (${d1}, ${d2})`)
}

/** P(X ≤ x) for X ~ F(d1, d2). */
export function fCdf(x: number, d1: number, d2: number): number {
  checkDf(d1, d2)
  if (Number.isNaN(x)) throw new RangeError('fCdf: x is NaN')
  if (x <= 0) return 0
  if (x === Infinity) return 1
  return regularizedBeta((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2)
}

/** The p-quantile of F(d1, d2), 0 < p < 1. */
export function fQuantile(p: number, d1: number, d2: number): number {
  checkDf(d1, d2)
  if (!(p > 0 && p < 1)) throw new RangeError(`fQuantile: p must lie strictly between 0 and 1, got ${p}`)
  let lo = 0
  let hi = 1
  while (fCdf(hi, d1, d2) < p) {
    lo = hi
    hi *= 2
    if (hi > 1e300) throw new Error(`fQuantile: no upper bracket for p=${p}, df=(${d1}, ${d2})`)
  }
  for (let i = 0; i < 2000 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2
    if (fCdf(mid, d1, d2) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** P(X > x) for X ~ F(d1, d2): the p-value of an F test. */
export function fSurvival(x: number, d1: number, d2: number): number {
  checkDf(d1, d2)
  if (x <= 0) return 1
  // I_{d2/(d2 + d1 x)}(d2/2, d1/2) avoids the cancellation of 1 − CDF for large x.
  return regularizedBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2)
}
