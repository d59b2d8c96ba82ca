import { describe, expect, it } from 'vitest'
import {
  contingencyTable,
  disagreementWeights,
  weightedKappa,
  weightedKappaBootstrap,
  weightedKappaFromTable,
} from '../../../src/main/stats/kappa'

/**
 * Cohen (1968), "Weighted kappa", Psychological Bulletin 70:213–220, worked example (also the
 * example of R's psych::cohen.kappa, data `cohen`): proportions of 200 cases in 3 × 3 categories,
 * disagreement weights 0/1/3/6. Cohen reports κ = .49 unweighted and κw = .35 weighted;
 * the exact values are (0.70 − 0.41)/(1 − 0.41) = 0.4915 and 1 − 0.90/1.38 = 0.3478.
 */
const COHEN_1968 = [
  [0.44, 0.07, 0.09],
  [0.05, 0.2, 0.05],
  [0.01, 0.03, 0.06],
]
const COHEN_WEIGHTS = [
  [0, 1, 3],
  [1, 0, 6],
  [3, 6, 0],
]

describe('weighted kappa', () => {
  it('reproduces Cohen (1968): κ .49 unweighted, κw .35 with his weights', () => {
    const unweighted = weightedKappaFromTable(COHEN_1968, disagreementWeights(3, 'unweighted')) as number
    expect(unweighted).toBeCloseTo(0.29 / 0.59, 10)
    expect(unweighted.toFixed(2)).toBe('0.49')
    const weighted = weightedKappaFromTable(COHEN_1968, COHEN_WEIGHTS) as number
    expect(weighted).toBeCloseTo(1 - 0.9 / 1.38, 10)
    expect(weighted.toFixed(2)).toBe('0.35')
    // Counts of 200 cases give the same κ as the proportions.
    const counts = COHEN_1968.map((r) => r.map((p) => Math.round(p * 200)))
    expect(weightedKappaFromTable(counts, COHEN_WEIGHTS)).toBeCloseTo(weighted, 12)
  })

  it('with quadratic weights equals the Fleiss–Cohen (1973) moment form 2·cov / (var₁ + var₂ + (m₁ − m₂)²)', () => {
    const a = [1, 2, 3, 4, 5, 3, 4, 2, 5, 4, 3, 1, 2, 5]
    const b = [1, 3, 3, 5, 4, 3, 4, 1, 5, 5, 2, 2, 2, 4]
    const n = a.length
    const m = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / n
    const [ma, mb] = [m(a), m(b)]
    const cov = a.reduce((s, x, i) => s + (x - ma) * ((b[i] as number) - mb), 0) / n
    const va = a.reduce((s, x) => s + (x - ma) ** 2, 0) / n
    const vb = b.reduce((s, x) => s + (x - mb) ** 2, 0) / n
    expect(weightedKappa(a, b, [1, 2, 3, 4, 5])).toBeCloseTo((2 * cov) / (va + vb + (ma - mb) ** 2), 12)
  })

  it('is 1 for perfect agreement, symmetric, and null when both raters use one category', () => {
    expect(weightedKappa([1, 2, 5], [1, 2, 5], [1, 2, 3, 4, 5])).toBe(1)
    const a = [1, 2, 2, 4, 5, 3]
    const b = [2, 2, 3, 4, 4, 1]
    expect(weightedKappa(a, b, [1, 2, 3, 4, 5])).toBeCloseTo(
      weightedKappa(b, a, [1, 2, 3, 4, 5]) as number,
      12,
    )
    expect(weightedKappa([3, 3, 3], [3, 3, 3], [1, 2, 3, 4, 5])).toBeNull()
  })

  it('refuses labels outside the categories and unequal lengths', () => {
    expect(() => contingencyTable([1, 6], [1, 2], [1, 2, 3, 4, 5])).toThrow(/pair 0|pair 1/)
    expect(() => weightedKappa([1], [1, 2], [1, 2])).toThrow(/1 labels against 2/)
  })

  it('gives a seeded bootstrap interval around the estimate: same seed, same interval', () => {
    const a = Array.from({ length: 60 }, (_, i) => 1 + (i % 5))
    const b = a.map((x, i) => Math.min(5, Math.max(1, x + ((i * 7) % 3) - 1)))
    const one = weightedKappaBootstrap(a, b, [1, 2, 3, 4, 5], { seed: 7, label: 'jury' })
    const two = weightedKappaBootstrap(a, b, [1, 2, 3, 4, 5], { seed: 7, label: 'jury' })
    const other = weightedKappaBootstrap(a, b, [1, 2, 3, 4, 5], { seed: 8, label: 'jury' })
    expect(one).toEqual(two)
    expect(other.ci95).not.toEqual(one.ci95)
    const [lo, hi] = one.ci95 as [number, number]
    expect(lo).toBeLessThan(one.value as number)
    expect(hi).toBeGreaterThan(one.value as number)
    expect(one.resamples).toBe(2000)
  })
})
