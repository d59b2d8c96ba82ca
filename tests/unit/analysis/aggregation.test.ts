import { describe, expect, it } from 'vitest'
import { addCosts, NO_COST, tokensUsd, usageCost } from '../../../src/main/analysis/cost'
import { meanAndSd } from '../../../src/main/analysis/macro-average'
import { rankRows } from '../../../src/main/analysis/leaderboard'
import { metricScale, rescaleColumn } from '../../../src/main/analysis/rescale'
import { aggregateWinRates, columnWinRates } from '../../../src/main/analysis/win-rate'
import { costText, formatUsd } from '../../../src/shared/api/leaderboard'

describe('mean win rate (HELM compute_aggregate_row_win_rates)', () => {
  it('one column, higher is better: wins over strictly worse rows / (n − 1)', () => {
    // 0.9 beats 3 rows, 0.7 beats 2, 0.5 beats 1, 0.1 beats none; n − 1 = 3.
    expect(columnWinRates({ lowerIsBetter: false, values: [0.5, 0.9, 0.1, 0.7] })).toEqual([
      1 / 3,
      1,
      0,
      2 / 3,
    ])
  })

  it('ties count half a win each', () => {
    // 0.8 ×2: 1 worse row + (2 − 1)/2 = 1.5 wins → 1.5/3 = 0.5; 0.9: 3 wins → 1; 0.2: 0.
    expect(columnWinRates({ lowerIsBetter: false, values: [0.8, 0.2, 0.8, 0.9] })).toEqual([0.5, 0, 0.5, 1])
    // Everyone tied: (3 − 1)/2 = 1 win each → 1/2.
    expect(columnWinRates({ lowerIsBetter: false, values: [3, 3, 3] })).toEqual([0.5, 0.5, 0.5])
  })

  it('lower is better reverses the order (runtime)', () => {
    // 1.2 s is fastest: beats 2 → 1; 2.5 s beats 1 → 0.5; 4 s → 0.
    expect(columnWinRates({ lowerIsBetter: true, values: [2.5, 4, 1.2] })).toEqual([0.5, 0, 1])
  })

  it('missing cells: no entry, and n counts only rows with a value', () => {
    // Among 2 values, the better wins 1/1; the row without a value gets nothing.
    expect(columnWinRates({ lowerIsBetter: false, values: [0.3, null, 0.6] })).toEqual([0, null, 1])
  })

  it('a column with fewer than 2 values, or without a direction, is skipped', () => {
    expect(columnWinRates({ lowerIsBetter: false, values: [0.3, null, null] })).toEqual([null, null, null])
    expect(columnWinRates({ lowerIsBetter: null, values: [0.3, 0.5] })).toEqual([null, null])
  })

  it('the mean is over the columns each row takes part in', () => {
    const rows = aggregateWinRates(3, [
      { lowerIsBetter: false, values: [0.9, 0.5, 0.5] }, // A 1, B 0.25, C 0.25
      { lowerIsBetter: false, values: [0.1, 0.6, null] }, // A 0, B 1, C —
      { lowerIsBetter: false, values: [0.4, null, null] }, // skipped: one value
      { lowerIsBetter: true, values: [10, 30, 20] }, // A 1, B 0, C 0.5
    ])
    expect(rows.map((r) => r.columns)).toEqual([3, 3, 2])
    expect(rows[0]!.winRate).toBeCloseTo(2 / 3, 15)
    expect(rows[1]!.winRate).toBeCloseTo(1.25 / 3, 15)
    expect(rows[2]!.winRate).toBeCloseTo(0.375, 15)
    expect(rows[0]!.perColumn).toEqual([1, 0, null, 1])
  })

  it('a row in no column has no win rate; a malformed table is refused', () => {
    expect(aggregateWinRates(2, [{ lowerIsBetter: false, values: [0.5, null] }])[0]!.winRate).toBeNull()
    expect(() => aggregateWinRates(3, [{ lowerIsBetter: false, values: [1, 2] }])).toThrow(
      /2 values for 3 rows/,
    )
    expect(() => columnWinRates({ lowerIsBetter: false, values: [NaN, 1] })).toThrow(RangeError)
  })
})

describe('0–1 rescaling (SOM rescale_1_to_5)', () => {
  it('a column entirely within [1,5] becomes (x − 1)/4', () => {
    expect(rescaleColumn([4.2, 3, null, 1.5], '1-5')).toEqual({
      values: [0.8, 0.5, null, 0.125],
      rescaled: true,
    })
    expect(rescaleColumn([2, 5], '0-1')).toEqual({ values: [0.25, 1], rescaled: true })
  })

  it('a column entirely within [0,1] is kept', () => {
    expect(rescaleColumn([0.25, 0.9, 1], '0-1')).toEqual({ values: [0.25, 0.9, 1], rescaled: false })
  })

  it('anything else is kept: mixed ranges, values above 5', () => {
    expect(rescaleColumn([0.5, 3], '1-5')).toEqual({ values: [0.5, 3], rescaled: false })
    expect(rescaleColumn([6, 2], '0-1')).toEqual({ values: [6, 2], rescaled: false })
  })

  it('every value exactly 1: the metric’s nominal scale decides (worst jury score → 0, perfect accuracy stays 1)', () => {
    expect(rescaleColumn([1, 1], '1-5')).toEqual({ values: [0, 0], rescaled: true })
    expect(rescaleColumn([1, 1], '0-1')).toEqual({ values: [1, 1], rescaled: false })
    expect(rescaleColumn([null], '1-5')).toEqual({ values: [null], rescaled: false })
    expect([metricScale('jury'), metricScale('exact_match'), metricScale('rouge_l')]).toEqual([
      '1-5',
      '0-1',
      '0-1',
    ])
  })
})

describe('macro-average', () => {
  it('unweighted mean and sample SD over the benchmarks with a score', () => {
    // 0.2, 0.4, 0.9: mean 0.5; squared deviations 0.09 + 0.01 + 0.16 = 0.26; / (3 − 1) → SD √0.13.
    const m = meanAndSd([0.2, null, 0.4, 0.9])
    expect(m.n).toBe(3)
    expect(m.mean).toBeCloseTo(0.5, 15)
    expect(m.sd).toBeCloseTo(Math.sqrt(0.13), 15)
    expect(meanAndSd([0.7])).toEqual({ mean: 0.7, sd: null, n: 1 })
    expect(meanAndSd([null])).toEqual({ mean: null, sd: null, n: 0 })
  })
})

describe('cost', () => {
  const usage = {
    modelKey: 'gpu/llama',
    responses: 3,
    inputTokens: 3_000_000,
    outputTokens: 500_000,
    missingTokens: 0,
  }

  it('tokens × price per 1M', () => {
    // 3M × $0.20 + 0.5M × $0.80 = $0.60 + $0.40.
    expect(tokensUsd(3_000_000, 500_000, { inputPerMTok: 0.2, outputPerMTok: 0.8 })).toBeCloseTo(1, 15)
    expect(usageCost(usage, { inputPerMTok: 0.2, outputPerMTok: 0.8 })).toMatchObject({
      usd: 1,
      unpriced: [],
    })
  })

  it('no price, or responses without token counts: unknown (null), with what is known as a lower bound', () => {
    expect(usageCost(usage, undefined)).toMatchObject({ usd: null, knownUsd: 0, unpriced: ['gpu/llama'] })
    const partial = usageCost({ ...usage, missingTokens: 2 }, { inputPerMTok: 0.2, outputPerMTok: 0.8 })
    expect(partial.usd).toBeNull()
    expect(partial.knownUsd).toBeCloseTo(1, 15)
    expect(costText(partial)).toBe('unknown (≥ $1.00, 2 without token counts)')
    // Nothing to charge: 0 even without a price.
    expect(usageCost({ ...usage, responses: 0, inputTokens: 0, outputTokens: 0 }, undefined).usd).toBe(0)
  })

  it('a sum is unknown as soon as one part is', () => {
    const known = usageCost(usage, { inputPerMTok: 0.2, outputPerMTok: 0.8 })
    expect(addCosts([known, known]).usd).toBeCloseTo(2, 15)
    const sum = addCosts([known, usageCost({ ...usage, modelKey: 'gpu/b' }, undefined), NO_COST])
    expect(sum).toMatchObject({ usd: null, unpriced: ['gpu/b'], responses: 6 })
    expect(sum.knownUsd).toBeCloseTo(1, 15)
    expect(costText(sum)).toBe('unknown (≥ $1.00, no price for gpu/b)')
    expect([formatUsd(0), formatUsd(0.000123456), formatUsd(0.0372), formatUsd(12.345)]).toEqual([
      '$0',
      '$0.000123',
      '$0.0372',
      '$12.35',
    ])
  })
})

describe('ranking', () => {
  it('by win rate, then macro-average, nulls last, then model key', () => {
    const r = (modelKey: string, winRate: number | null, mean: number | null) =>
      ({ modelKey, winRate, macro: { mean, sd: null, n: 1 } }) as Parameters<typeof rankRows>[0][number]
    const ranked = rankRows([
      r('d', null, 0.9),
      r('c', 0.5, 0.2),
      r('b', 0.5, 0.4),
      r('a', 0.5, 0.4),
      r('e', 0.7, null),
    ])
    expect(ranked.map((x) => [x.rank, x.modelKey])).toEqual([
      [1, 'e'],
      [2, 'a'],
      [3, 'b'],
      [4, 'c'],
      [5, 'd'],
    ])
  })
})
