/**
 * Isotonic (monotone non-decreasing) regression by pool-adjacent-violators (Ayer et al. 1955;
 * Barlow et al. 1972): the non-decreasing step function that minimises the weighted squared error.
 *
 * Points with the same x are first pooled into one (their weighted mean, their summed weight), as
 * scikit-learn's IsotonicRegression does; then, from left to right, every block whose mean is
 * below the block before it is merged with it (weighted mean), repeatedly, until the block means
 * never decrease. The fit is the knots (x, fitted y); `predictIsotonic` interpolates linearly
 * between knots and holds the end values beyond them (scikit-learn's `out_of_bounds='clip'`).
 */

export interface IsotonicFit {
  /** Distinct x values, ascending. */
  x: number[]
  /** The fitted (non-decreasing) value at each x. */
  y: number[]
}

function checkInput(x: readonly number[], y: readonly number[], w: readonly number[] | undefined): void {
  if (x.length !== y.length)
    throw new RangeError(`isotonic regression: ${x.length} x values but ${y.length} y values`)
  if (w && w.length !== x.length)
    throw new RangeError(`isotonic regression: ${x.length} points but ${w.length} weights`)
  if (x.length === 0) throw new RangeError('isotonic regression needs at least one point')
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]))
      throw new RangeError(`isotonic regression: point ${i} is not a finite number`)
    if (w && !((w[i] as number) > 0 && Number.isFinite(w[i])))
      throw new RangeError(`isotonic regression: weight ${i} must be positive`)
  }
}

/**
 * Pool-adjacent-violators on values already in x order: the non-decreasing sequence closest to
 * `y` in weighted least squares (one fitted value per input value).
 */
export function poolAdjacentViolators(y: readonly number[], w?: readonly number[]): number[] {
  const means: number[] = []
  const weights: number[] = []
  const sizes: number[] = []
  y.forEach((value, i) => {
    let m = value
    let wt = w ? (w[i] as number) : 1
    let size = 1
    // Merge backwards while the previous block's mean is above this one's.
    while (means.length > 0 && (means[means.length - 1] as number) > m) {
      const pm = means.pop() as number
      const pw = weights.pop() as number
      size += sizes.pop() as number
      m = (pm * pw + m * wt) / (pw + wt)
      wt += pw
    }
    means.push(m)
    weights.push(wt)
    sizes.push(size)
  })
  const out: number[] = []
  means.forEach((m, b) => {
    for (let k = 0; k < (sizes[b] as number); k++) out.push(m)
  })
  return out
}

/** Fits the monotone map from x to y (weights default to 1). */
export function fitIsotonic(x: readonly number[], y: readonly number[], w?: readonly number[]): IsotonicFit {
  checkInput(x, y, w)
  const order = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number))
  const xs: number[] = []
  const ys: number[] = []
  const ws: number[] = []
  for (const i of order) {
    const xi = x[i] as number
    const wi = w ? (w[i] as number) : 1
    const last = xs.length - 1
    if (last >= 0 && xs[last] === xi) {
      ys[last] =
        ((ys[last] as number) * (ws[last] as number) + (y[i] as number) * wi) / ((ws[last] as number) + wi)
      ws[last] = (ws[last] as number) + wi
    } else {
      xs.push(xi)
      ys.push(y[i] as number)
      ws.push(wi)
    }
  }
  return { x: xs, y: poolAdjacentViolators(ys, ws) }
}

/** The fitted value at `x`: linear between knots, the end value beyond them. */
export function predictIsotonic(fit: IsotonicFit, x: number): number {
  const n = fit.x.length
  if (n === 0) throw new RangeError('isotonic prediction from an empty fit')
  if (!Number.isFinite(x)) throw new RangeError('isotonic prediction: x is not a finite number')
  if (x <= (fit.x[0] as number)) return fit.y[0] as number
  if (x >= (fit.x[n - 1] as number)) return fit.y[n - 1] as number
  let lo = 0
  let hi = n - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((fit.x[mid] as number) <= x) lo = mid
    else hi = mid
  }
  const x0 = fit.x[lo] as number
  const x1 = fit.x[hi] as number
  const y0 = fit.y[lo] as number
  const y1 = fit.y[hi] as number
  return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0)
}
