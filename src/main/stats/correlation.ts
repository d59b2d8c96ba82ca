import { normalQuantile } from './distributions'

/**
 * Rank correlation and its interval. Spearman's ρ is Pearson's r of the average ranks (ties share
 * the mean of their ranks, as scipy.stats.spearmanr and R's cor(method = "spearman")). The interval
 * is Fisher's (1921) z: atanh(r) ± z₁₋α/₂ / √(n − 3), back-transformed with tanh — the interval
 * MedHELM's analysis puts on its Spearman ρ (open-ended-evals/4_calculate_icc.py).
 */

/** Average ranks, 1-based (ties get the mean of the ranks they span). */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const ranks = new Array<number>(xs.length)
  let i = 0
  while (i < order.length) {
    let j = i
    while (
      j + 1 < order.length &&
      (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    )
      j++
    const r = (i + j) / 2 + 1
    for (let t = i; t <= j; t++) ranks[(order[t] as readonly [number, number])[1]] = r
    i = j + 1
  }
  return ranks
}

function checkPaired(name: string, x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new RangeError(`${name}: ${x.length} values against ${y.length}`)
  if (x.length < 3) throw new RangeError(`${name} needs at least 3 pairs, got ${x.length}`)
  for (const v of [...x, ...y])
    if (!Number.isFinite(v)) throw new RangeError(`${name}: a value is not finite`)
}

/** Pearson's r; null when either variable is constant (r is 0/0). */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  checkPaired('pearson', x, y)
  const n = x.length
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx
    const dy = (y[i] as number) - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return null
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
}

/** Spearman's ρ; null when either variable is constant. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  checkPaired('spearman', x, y)
  return pearson(averageRanks(x), averageRanks(y))
}

/**
 * Fisher's z interval of a correlation r from n pairs (n ≥ 4). At |r| = 1 the interval is the
 * point itself.
 */
export function fisherZInterval(r: number, n: number, level = 0.95): [number, number] {
  if (!(r >= -1 && r <= 1)) throw new RangeError(`fisherZInterval: r must lie in [-1, 1], got ${r}`)
  if (!(Number.isInteger(n) && n >= 4)) throw new RangeError(`fisherZInterval needs n ≥ 4 pairs, got ${n}`)
  if (!(level > 0 && level < 1))
    throw new RangeError(`fisherZInterval: level must lie in (0, 1), got ${level}`)
  if (Math.abs(r) === 1) return [r, r]
  const z = Math.atanh(r)
  const half = normalQuantile(1 - (1 - level) / 2) / Math.sqrt(n - 3)
  return [Math.tanh(z - half), Math.tanh(z + half)]
}

/** The least-squares line y = intercept + slope·x; null when x is constant or fewer than 2 points. */
export function leastSquaresLine(
  x: readonly number[],
  y: readonly number[],
): { slope: number; intercept: number } | null {
  if (x.length !== y.length) throw new RangeError(`leastSquaresLine: ${x.length} x against ${y.length} y`)
  const n = x.length
  if (n < 2) return null
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my)
    sxx += ((x[i] as number) - mx) ** 2
  }
  if (sxx === 0) return null
  const slope = sxy / sxx
  return { slope, intercept: my - slope * mx }
}
