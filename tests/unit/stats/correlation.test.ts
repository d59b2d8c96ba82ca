import { describe, expect, it } from 'vitest'
import { averageRanks, fisherZInterval, pearson, spearman } from '../../../src/main/stats/correlation'

describe('Spearman ρ', () => {
  it('reproduces the textbook IQ / hours of television example: ρ = −29/165', () => {
    // The classic worked example of Spearman's ρ (10 people, no ties; Wikipedia, "Spearman's rank
    // correlation coefficient", Example): Σd² = 194, ρ = 1 − 6·194 / (10·99) = −29/165 ≈ −0.1758.
    const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
    const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 12)
  })

  it('gives tied values the mean of their ranks, as scipy and R do', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4])
    expect(averageRanks([3, 1, 3, 3])).toEqual([3, 1, 3, 3])
    // With ties ρ is Pearson's r of the average ranks.
    const x = [1, 2, 2, 3, 4]
    const y = [2, 1, 3, 3, 5]
    expect(spearman(x, y)).toBeCloseTo(pearson(averageRanks(x), averageRanks(y)) as number, 12)
  })

  it('is null for a constant variable and refuses fewer than 3 pairs', () => {
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull()
    expect(() => spearman([1, 2], [1, 2])).toThrow(/at least 3 pairs/)
  })
})

describe("Fisher's z interval", () => {
  it('reproduces worked examples of the interval', () => {
    // r = 0.56, n = 60 → 95 % CI .3568 to .7126 (Statology, "Fisher Z transformation", worked example).
    const [lo, hi] = fisherZInterval(0.56, 60)
    expect(lo).toBeCloseTo(0.3568, 3)
    expect(hi).toBeCloseTo(0.7126, 3)
    // r = .50, N = 50 → 0.2574879 to 0.6832563 (tanh(atanh(r) ± qnorm(.975)·√(1/(N − 3))) in R).
    const [a, b] = fisherZInterval(0.5, 50)
    expect(a).toBeCloseTo(0.2574879, 6)
    expect(b).toBeCloseTo(0.6832563, 6)
    // Spearman ρ = 0.684848 on n = 10 → 0.097071 to 0.918445 (CrossValidated question 18887, which
    // rounds z to 1.96; the exact quantile 1.959964 moves the bounds in the fifth decimal).
    const [c, d] = fisherZInterval(0.684848, 10)
    expect(c).toBeCloseTo(0.097071, 4)
    expect(d).toBeCloseTo(0.918445, 4)
  })

  it('is the point at |r| = 1 and refuses n below 4', () => {
    expect(fisherZInterval(1, 10)).toEqual([1, 1])
    expect(() => fisherZInterval(0.3, 3)).toThrow(/n ≥ 4/)
  })
})
