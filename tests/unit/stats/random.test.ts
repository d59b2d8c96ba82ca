import { describe, expect, it } from 'vitest'
import { seededRng } from '../../../src/main/stats/random'
import { mean, percentileInterval, quantileSorted, sampleSd } from '../../../src/main/stats/descriptive'

describe('seededRng', () => {
  it('gives the same stream for the same seed and label, another for another', () => {
    const a = seededRng(7, 'x')
    const b = seededRng(7, 'x')
    const c = seededRng(7, 'y')
    const xs = Array.from({ length: 20 }, () => a.nextU32())
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(xs)
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(xs)
  })
  it('is uniform enough for resampling (chi-square over 10 bins)', () => {
    const r = seededRng(1)
    const bins = new Array<number>(10).fill(0)
    const n = 100_000
    for (let i = 0; i < n; i++) bins[r.int(10)]!++
    const chi = bins.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0)
    // 99.9 % point of chi-square with 9 df is 27.88.
    expect(chi).toBeLessThan(27.88)
    for (let i = 0; i < 1000; i++) {
      const u = r.next()
      expect(u >= 0 && u < 1).toBe(true)
    }
  })
})

describe('descriptive statistics', () => {
  it('mean and sd, null when undefined', () => {
    expect(mean([])).toBeNull()
    expect(mean([1, 2, 3])).toBe(2)
    expect(sampleSd([1])).toBeNull()
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5)
  })
  it('quantiles as R type 7', () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.5, 0.9)) → 1.4, 3, 7.6
    const s = [1, 2, 3, 4, 10]
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.4, 12)
    expect(quantileSorted(s, 0.5)).toBe(3)
    expect(quantileSorted(s, 0.9)).toBeCloseTo(7.6, 12)
    expect(percentileInterval([5, 1, 4, 2, 3], 0.5)).toEqual([2, 4])
  })
})
