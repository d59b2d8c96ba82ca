import { percentileInterval } from './descriptive'
import { seededRng } from './random'

/**
 * Weighted kappa (Cohen 1968, Psychological Bulletin 70:213): agreement of two raters on ordered
 * categories, chance-corrected, where near misses count partly. With disagreement weights v_ij,
 *   κw = 1 − Σ v_ij·p_ij / Σ v_ij·e_ij,   e_ij = p_i· · p_·j,
 * which with v_ij = (i − j)² (quadratic) is Cohen's agreement weights w_ij = 1 − (i − j)²/(k − 1)²
 * and what scikit-learn's cohen_kappa_score(weights='quadratic') computes.
 */

export type KappaWeights = 'quadratic' | 'linear' | 'unweighted'

/** Disagreement weights v_ij for k ordered categories. */
export function disagreementWeights(k: number, scheme: KappaWeights): number[][] {
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) =>
      scheme === 'quadratic' ? (i - j) ** 2 : scheme === 'linear' ? Math.abs(i - j) : i === j ? 0 : 1,
    ),
  )
}

/**
 * κw from a k × k table of counts or proportions (rows: rater A, columns: rater B) and disagreement
 * weights; null when chance disagreement is 0 (both raters used one and the same category).
 */
export function weightedKappaFromTable(
  table: readonly (readonly number[])[],
  weights: readonly (readonly number[])[],
): number | null {
  const k = table.length
  if (
    k < 2 ||
    table.some((r) => r.length !== k) ||
    weights.length !== k ||
    weights.some((r) => r.length !== k)
  )
    throw new RangeError(
      'weighted kappa needs a square table of at least 2 categories and weights of its size',
    )
  let total = 0
  for (const row of table)
    for (const x of row) {
      if (!(x >= 0 && Number.isFinite(x)))
        throw new RangeError('weighted kappa: a cell is negative or not finite')
      total += x
    }
  if (total === 0) throw new RangeError('weighted kappa: the table is empty')
  const rows = table.map((r) => r.reduce((a, b) => a + b, 0) / total)
  const cols = table[0]!.map((_, j) => table.reduce((a, r) => a + (r[j] as number), 0) / total)
  let observed = 0
  let expected = 0
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const v = weights[i]![j] as number
      observed += (v * (table[i]![j] as number)) / total
      expected += v * (rows[i] as number) * (cols[j] as number)
    }
  return expected === 0 ? null : 1 - observed / expected
}

/** The k × k table of counts of paired labels; labels outside `categories` are an error. */
export function contingencyTable(
  a: readonly number[],
  b: readonly number[],
  categories: readonly number[],
): number[][] {
  if (a.length !== b.length) throw new RangeError(`weighted kappa: ${a.length} labels against ${b.length}`)
  const index = new Map(categories.map((c, i) => [c, i]))
  const table = categories.map(() => categories.map(() => 0))
  a.forEach((x, t) => {
    const i = index.get(x)
    const j = index.get(b[t] as number)
    if (i === undefined || j === undefined)
      throw new RangeError(`weighted kappa: pair ${t} has a label outside ${categories.join(', ')}`)
    table[i]![j]!++
  })
  return table
}

/** κw of paired labels on the given ordered categories (sklearn's `labels`). */
export function weightedKappa(
  a: readonly number[],
  b: readonly number[],
  categories: readonly number[],
  scheme: KappaWeights = 'quadratic',
): number | null {
  return weightedKappaFromTable(
    contingencyTable(a, b, categories),
    disagreementWeights(categories.length, scheme),
  )
}

export interface KappaInterval {
  value: number | null
  /** Percentile bootstrap interval over the pairs; null when too few resamples were defined. */
  ci95: [number, number] | null
  resamples: number
  /** Resamples in which κ was undefined (every resampled pair in one category) and left out. */
  undefinedResamples: number
}

/**
 * κw with a seeded percentile bootstrap interval (pairs resampled with replacement; the same seed and
 * label give the same interval).
 */
export function weightedKappaBootstrap(
  a: readonly number[],
  b: readonly number[],
  categories: readonly number[],
  options: { seed: number; label: string; resamples?: number; scheme?: KappaWeights; level?: number },
): KappaInterval {
  const scheme = options.scheme ?? 'quadratic'
  const resamples = options.resamples ?? 2000
  const value = weightedKappa(a, b, categories, scheme)
  const weights = disagreementWeights(categories.length, scheme)
  const index = new Map(categories.map((c, i) => [c, i]))
  const ai = a.map((x) => index.get(x) as number)
  const bi = b.map((x) => index.get(x) as number)
  const rng = seededRng(options.seed, `weighted-kappa:${options.label}`)
  const n = a.length
  const k = categories.length
  const estimates: number[] = []
  for (let r = 0; r < resamples; r++) {
    const table = Array.from({ length: k }, () => new Array<number>(k).fill(0))
    for (let t = 0; t < n; t++) {
      const p = rng.int(n)
      table[ai[p] as number]![bi[p] as number]!++
    }
    const kw = weightedKappaFromTable(table, weights)
    if (kw !== null) estimates.push(kw)
  }
  const enough = estimates.length >= Math.max(50, resamples / 2)
  return {
    value,
    ci95: value !== null && enough ? percentileInterval(estimates, options.level ?? 0.95) : null,
    resamples,
    undefinedResamples: resamples - estimates.length,
  }
}
