import { describe, expect, it } from 'vitest'
import { intraclassCorrelations, meanSquares } from '../../../src/main/review/stats/icc'
import { SHROUT_FLEISS as SF } from './shrout-fleiss'

/**
 * Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges. Their Table 4 gives the ICCs
 * .17, .29, .71 (single) and .44, .62, .91 (mean of 4 judges); the ANOVA of Table 3 has
 * BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02. The 95 % intervals are those R's psych::ICC prints for
 * this table (its help page, data `sf`), which follows Shrout & Fleiss and McGraw & Wong.
 */

describe('ICC on Shrout & Fleiss (1979)', () => {
  it('reproduces the ANOVA mean squares of Table 3', () => {
    const ms = meanSquares(SF)
    expect(ms.n).toBe(6)
    expect(ms.k).toBe(4)
    expect(ms.bms).toBeCloseTo(11.24, 2)
    expect(ms.wms).toBeCloseTo(6.26, 2)
    expect(ms.jms).toBeCloseTo(32.49, 2)
    expect(ms.ems).toBeCloseTo(1.02, 2)
  })

  it('reproduces the six ICCs of Table 4', () => {
    const icc = intraclassCorrelations(SF)
    const two = (x: number) => Math.round(x * 100) / 100
    expect(two(icc.ICC1.value)).toBe(0.17)
    expect(two(icc.ICC2.value)).toBe(0.29)
    expect(two(icc.ICC3.value)).toBe(0.71)
    expect(two(icc.ICC1k.value)).toBe(0.44)
    expect(two(icc.ICC2k.value)).toBe(0.62)
    expect(two(icc.ICC3k.value)).toBe(0.91)
  })

  it('gives the F tests and 95 % confidence intervals psych::ICC prints for the table', () => {
    const icc = intraclassCorrelations(SF)
    expect(icc.ICC1).toMatchObject({ df1: 5, df2: 18 })
    expect(icc.ICC3).toMatchObject({ df1: 5, df2: 15 })
    expect(icc.ICC1.f).toBeCloseTo(1.79, 2)
    expect(icc.ICC3.f).toBeCloseTo(11.03, 2)
    expect(icc.ICC1.p).toBeCloseTo(0.16477, 5)
    expect(icc.ICC3.p).toBeCloseTo(0.00013, 5)
    const ci = (t: keyof typeof icc) => icc[t].ci as [number, number]
    // psych prints the lower bound to 3 decimals and the upper to 2.
    const expected: Record<string, [number, number]> = {
      ICC1: [-0.133, 0.72],
      ICC2: [0.019, 0.76],
      ICC3: [0.342, 0.95],
      ICC1k: [-0.884, 0.91],
      ICC2k: [0.071, 0.93],
      ICC3k: [0.676, 0.99],
    }
    for (const [t, [lo, hi]] of Object.entries(expected)) {
      const [l, h] = ci(t as keyof typeof icc)
      expect(l, `${t} lower`).toBeCloseTo(lo, 3)
      expect(h, `${t} upper`).toBeCloseTo(hi, 2)
    }
  })

  it('refuses matrices it cannot judge', () => {
    expect(() => intraclassCorrelations([[1, 2]])).toThrow(/at least 2 targets and 2 raters/)
    expect(() => intraclassCorrelations([[1, 2], [3]])).toThrow(/row 1 has 1 ratings, expected 2/)
    expect(() =>
      intraclassCorrelations([
        [1, NaN],
        [3, 4],
      ]),
    ).toThrow(/\[0\]\[1\] is not a finite number/)
    expect(() =>
      intraclassCorrelations([
        [3, 3],
        [3, 3],
      ]),
    ).toThrow(/every rating is the same/)
    expect(() =>
      intraclassCorrelations([
        [1, 5],
        [1, 5],
        [1, 5],
      ]),
    ).toThrow(/do not differ/)
  })

  it('reports ICC(3) = 1 without an F interval when the raters agree exactly', () => {
    const icc = intraclassCorrelations([
      [1, 1],
      [2, 2],
      [4, 4],
    ])
    expect(icc.ICC3.value).toBe(1)
    expect(icc.ICC3k.value).toBe(1)
    expect(icc.ICC3.f).toBeNull()
    expect(icc.ICC3.ci).toBeNull()
  })
})
