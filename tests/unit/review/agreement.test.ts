import { describe, expect, it } from 'vitest'
import {
  clinicianBaseline,
  iccFigure,
  juryVsClinicians,
  overallPoints,
  type AgreementData,
  type ItemRatings,
} from '../../../src/main/review/agreement'
import { intraclassCorrelations } from '../../../src/main/review/stats/icc'
import { hasSpread, zScores } from '../../../src/main/review/stats/zscore'

describe('z-scores', () => {
  it('match scipy.stats.zscore (population standard deviation)', () => {
    // scipy.stats.zscore([1, 2, 3, 4, 5]) = [-1.41421356, -0.70710678, 0, 0.70710678, 1.41421356]
    const z = zScores([1, 2, 3, 4, 5])
    ;[-1.41421356, -0.70710678, 0, 0.70710678, 1.41421356].forEach((x, i) => expect(z[i]).toBeCloseTo(x, 8))
    // scipy.stats.zscore([2, 2, 5, 1]) = [-1/3, -1/3, 5/3, -1] (mean 2.5, sd 1.5)
    const w = zScores([2, 2, 5, 1])
    ;[-1 / 3, -1 / 3, 5 / 3, -1].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 8))
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12)
  })

  it('refuses a rater without spread', () => {
    expect(() => zScores([3, 3, 3])).toThrow(/standard deviation 0/)
    expect(() => zScores([3])).toThrow(/at least 2/)
    expect(hasSpread([3, 3, 3])).toBe(false)
    expect(hasSpread([3, 4])).toBe(true)
  })

  it('remove a rater’s leniency and scale: a shifted, stretched copy of a rater agrees perfectly', () => {
    const a = [1, 3, 2, 5, 4, 2]
    const b = a.map((x) => 2 * x + 1) // the same judgement, stricter scale
    const f = iccFigure(
      'accuracy',
      [
        { label: 'a', values: a },
        { label: 'b', values: b },
      ],
      [],
      5,
    )
    expect(f.status).toBe('ok')
    expect(f.icc3k?.value).toBeCloseTo(1, 12)
    // Raw, the absolute-agreement ICC sees the shift; z-scored ICC(3) does not.
    const raw = intraclassCorrelations(a.map((x, i) => [x, b[i] as number]))
    expect(raw.ICC2.value).toBeLessThan(0.5)
  })
})

function data(
  items: ItemRatings[],
  reviewers: [number, string][] = [
    [1, 'Dr A'],
    [2, 'Dr B'],
    [3, 'Dr C'],
  ],
): AgreementData {
  return { criteria: ['accuracy', 'clarity'], reviewers: new Map(reviewers), items }
}

const scores = (accuracy: number, clarity: number) => ({ accuracy, clarity })

describe('jury vs clinicians', () => {
  const jury = [5, 4, 2, 3, 1, 4, 5, 2, 3, 1, 4, 2]
  const clin = [5, 5, 2, 3, 1, 3, 4, 2, 4, 1, 4, 1]
  const items: ItemRatings[] = jury.map((j, i) => ({
    jury: scores(j, 6 - j),
    clinicians: new Map([[1, scores(clin[i] as number, 6 - (clin[i] as number))]]),
  }))

  it('is ICC(3,k) with k = 2 on z-scored ratings, per criterion and overall, on every item with both', () => {
    const figures = juryVsClinicians(data(items), 10)
    expect(figures.map((f) => f.scope)).toEqual(['accuracy', 'clarity', 'overall'])
    const acc = figures[0]!
    expect(acc).toMatchObject({ status: 'ok', items: 12, raters: 2, reviewers: ['Dr A'], reason: null })
    const expected = intraclassCorrelations(jury.map((_, i) => [zScores(jury)[i]!, zScores(clin)[i]!]))
    expect(acc.icc3k?.value).toBeCloseTo(expected.ICC3k.value, 12)
    expect(acc.icc3?.value).toBeCloseTo(expected.ICC3.value, 12)
    expect(acc.icc3k?.ci95?.[0]).toBeLessThan(acc.icc3k!.value)
    // clarity = 6 − accuracy for both raters: the same agreement.
    expect(figures[1]!.icc3k?.value).toBeCloseTo(acc.icc3k!.value, 12)
    // Overall is the mean of the criteria: 3 for every item here, so it cannot be computed.
    expect(figures[2]).toMatchObject({ status: 'not_computable', items: 12, icc3k: null })
    expect(figures[2]!.reason).toMatch(/the jury gave every one of these 12 items the same score/)
  })

  it('is not computable below the minimum number of items, and says how many there are', () => {
    const figures = juryVsClinicians(data(items.slice(0, 9)), 10)
    expect(figures[0]).toMatchObject({ status: 'not_computable', items: 9, icc3: null, icc3k: null })
    expect(figures[0]!.reason).toBe('9 items have ratings from every rater; at least 10 are needed')
  })

  it('leaves out items the jury did not score or no clinician rated, and averages several clinicians', () => {
    const mixed: ItemRatings[] = [
      ...items,
      { jury: {}, clinicians: new Map([[1, scores(3, 3)]]) },
      { jury: scores(2, 2), clinicians: new Map() },
      {
        jury: scores(2, 4),
        clinicians: new Map([
          [1, scores(1, 5)],
          [2, scores(3, 3)],
        ]),
      },
    ]
    const figures = juryVsClinicians(data(mixed), 10)
    expect(figures[0]).toMatchObject({ items: 13, reviewers: ['Dr A', 'Dr B'] })
    expect(overallPoints(data(mixed)).at(-1)).toEqual({ jury: 3, clinicians: 3 })
    expect(overallPoints(data(mixed))).toHaveLength(13)
  })
})

describe('clinician–clinician baseline', () => {
  const a = [5, 4, 2, 3, 1, 4, 5, 2, 3, 1, 4, 2]
  const b = [4, 4, 2, 3, 2, 4, 5, 1, 3, 1, 5, 2]

  it('needs two reviewers on the same items', () => {
    const one = data(a.map((x) => ({ jury: {}, clinicians: new Map([[1, scores(x, x)]]) })))
    expect(clinicianBaseline(one, 10)[0]).toMatchObject({
      status: 'not_computable',
      raters: 1,
      reason: 'needs at least 2 reviewers who rated the same items',
    })
  })

  it('is ICC(3,k) among the reviewers on the items they all rated', () => {
    const items: ItemRatings[] = a.map((x, i) => ({
      jury: {},
      clinicians: new Map([
        [1, scores(x, x)],
        [2, scores(b[i] as number, b[i] as number)],
        // Dr C rated only 4 items: adding them would leave fewer than 10 common items.
        ...(i < 4 ? [[3, scores(3, 3)] as [number, Record<string, number>]] : []),
      ]),
    }))
    const [acc] = clinicianBaseline(data(items), 10)
    expect(acc).toMatchObject({ status: 'ok', items: 12, raters: 2, reviewers: ['Dr A', 'Dr B'] })
    const expected = intraclassCorrelations(a.map((_, i) => [zScores(a)[i]!, zScores(b)[i]!]))
    expect(acc!.icc3k!.value).toBeCloseTo(expected.ICC3k.value, 12)
    expect(acc!.icc3k!.value).toBeGreaterThan(0.8)
  })
})
