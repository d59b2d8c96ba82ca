import { describe, expect, it } from 'vitest'
import {
  binomialCdf,
  fCdf,
  fQuantile,
  fSurvival,
  normalCdf,
  normalQuantile,
  tQuantile,
} from '../../../src/main/stats/distributions'

describe('F distribution', () => {
  // Reference quantiles from scipy.stats.f.ppf (SciPy 1.17.1), to 1e-9 relative.
  const PPF: [number, number, number, number][] = [
    [0.975, 5, 18, 3.381967805875243],
    [0.975, 18, 5, 6.361883204654352],
    [0.975, 5, 15, 3.5764153492790607],
    [0.975, 15, 5, 6.427728167078779],
    [0.975, 5, 4.5, 8.052780411963667],
    [0.95, 1, 1, 161.4476387975882],
    [0.5, 2.5, 7.3, 0.8247384810416246],
    [0.999, 30, 60, 2.5549443008662185],
    [0.025, 3, 10, 0.06935321586551406],
  ]
  it.each(PPF)('quantile %f of F(%f, %f) is %f', (p, d1, d2, x) => {
    expect(Math.abs(fQuantile(p, d1, d2) - x) / x).toBeLessThan(1e-9)
    expect(fCdf(x, d1, d2)).toBeCloseTo(p, 12)
    expect(fSurvival(x, d1, d2)).toBeCloseTo(1 - p, 12)
  })

  it('has the textbook special values', () => {
    // F(2, 2): CDF = x / (1 + x).
    expect(fCdf(3, 2, 2)).toBeCloseTo(0.75, 14)
    expect(fSurvival(3, 2, 2)).toBeCloseTo(0.25, 14)
    expect(fCdf(0, 3, 4)).toBe(0)
    expect(fSurvival(0, 3, 4)).toBe(1)
  })

  it('refuses impossible arguments', () => {
    expect(() => fQuantile(1, 2, 3)).toThrow(/strictly between 0 and 1/)
    expect(() => fCdf(1, 0, 3)).toThrow(/degrees of freedom/)
    expect(() => fCdf(Number.NaN, 1, 3)).toThrow(/NaN/)
  })
})

describe('normal, t and binomial', () => {
  it('match the printed tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8)
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212336, 8)
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6)
    // t(10), 97.5 %: 2.228 (every t table).
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228139, 5)
    // Binomial(10, 0.5): P(X ≤ 1) = 11 / 1024.
    expect(binomialCdf(1, 10, 0.5)).toBeCloseTo(11 / 1024, 14)
  })
  it('refuses impossible arguments', () => {
    expect(() => normalQuantile(0)).toThrow(/strictly between/)
    expect(() => binomialCdf(1, 2.5, 0.5)).toThrow(/whole number/)
  })
})
