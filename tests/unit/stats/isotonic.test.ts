import { describe, expect, it } from 'vitest'
import { fitIsotonic, poolAdjacentViolators, predictIsotonic } from '../../../src/main/stats/isotonic'

/**
 * Pool-adjacent-violators worked by hand.
 *
 * y = 1, 3, 2, 4, 3, 5 (x = 1…6):
 *   1 | 3 | 2 → 3 > 2 violates: pool {3, 2} → 2.5
 *   1 | 2.5 2.5 | 4 | 3 → pool {4, 3} → 3.5
 *   1 | 2.5 2.5 | 3.5 3.5 | 5                          → 1, 2.5, 2.5, 3.5, 3.5, 5
 * y = 4, 5, 1, 2 (a cascade):
 *   4 | 5 | 1 → pool {5, 1} = 3, then 4 > 3 → pool {4, 5, 1} = 10/3
 *   10/3 | 2 → pool all four = 12/4 = 3                 → 3, 3, 3, 3
 * Weighted, y = 3, 1 with w = 1, 3: (3·1 + 1·3) / 4 = 1.5 → 1.5, 1.5
 */
describe('pool-adjacent-violators', () => {
  it('matches the hand-computed cases', () => {
    expect(poolAdjacentViolators([1, 3, 2, 4, 3, 5])).toEqual([1, 2.5, 2.5, 3.5, 3.5, 5])
    expect(poolAdjacentViolators([4, 5, 1, 2])).toEqual([3, 3, 3, 3])
    expect(poolAdjacentViolators([3, 1], [1, 3])).toEqual([1.5, 1.5])
    expect(poolAdjacentViolators([1, 2, 2, 3])).toEqual([1, 2, 2, 3]) // already monotone: unchanged
  })

  it('minimises the squared error among non-decreasing sequences (no better one found by search)', () => {
    const y = [2, 1, 4, 3, 3, 1, 5]
    const fit = poolAdjacentViolators(y)
    const sse = (f: number[]) => f.reduce((a, v, i) => a + (v - (y[i] as number)) ** 2, 0)
    for (let i = 1; i < fit.length; i++) expect(fit[i]).toBeGreaterThanOrEqual(fit[i - 1] as number)
    // Every non-decreasing sequence on a 0.5 grid over 1–5 is at least as far from y.
    const grid = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]
    let best = Infinity
    const walk = (seq: number[]) => {
      if (seq.length === y.length) return void (best = Math.min(best, sse(seq)))
      for (const g of grid) if (seq.length === 0 || g >= (seq[seq.length - 1] as number)) walk([...seq, g])
    }
    walk([])
    expect(sse(fit)).toBeLessThanOrEqual(best + 1e-12)
  })
})

describe('isotonic fit and prediction', () => {
  it('pools tied x values first, sorts by x, then fits', () => {
    // x = 2 twice (y 4 and 2 → 3), given out of order.
    const fit = fitIsotonic([3, 2, 1, 2], [3.5, 4, 1, 2])
    expect(fit.x).toEqual([1, 2, 3])
    expect(fit.y).toEqual([1, 3, 3.5])
    const violated = fitIsotonic([1, 2, 3], [2, 4, 3])
    expect(violated.y).toEqual([2, 3.5, 3.5])
  })

  it('interpolates linearly between knots and holds the end values beyond them', () => {
    const fit = { x: [1, 3, 5], y: [1.5, 2.5, 4.5] }
    expect(predictIsotonic(fit, 2)).toBeCloseTo(2)
    expect(predictIsotonic(fit, 4.5)).toBeCloseTo(4)
    expect(predictIsotonic(fit, 0)).toBe(1.5)
    expect(predictIsotonic(fit, 9)).toBe(4.5)
    expect(predictIsotonic(fit, 3)).toBe(2.5)
  })

  it('refuses bad input with the reason', () => {
    expect(() => fitIsotonic([], [])).toThrow(/at least one point/)
    expect(() => fitIsotonic([1, 2], [1])).toThrow(/2 x values but 1 y values/)
    expect(() => fitIsotonic([1, Number.NaN], [1, 2])).toThrow(/point 1/)
    expect(() => fitIsotonic([1, 2], [1, 2], [1, 0])).toThrow(/weight 1/)
  })
})
