import { describe, expect, it } from 'vitest'
import {
  clinicianPairBaseline,
  leagueHeadline,
  mostOverlapPair,
  rankScorers,
  roundHalfEven,
  scorerVsClinicians,
} from '../../../src/main/review/medhelm-method'

const ratings = (entries: Record<string, Record<string, number>>) =>
  new Map(Object.entries(entries).map(([r, m]) => [r, new Map(Object.entries(m))]))

describe("MedHELM's method, piece by piece", () => {
  it('rounds half to even as pandas does before κ', () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, 4.4, 4.6, 3.6666].map(roundHalfEven)).toEqual([0, 2, 2, 4, 4, 4, 5, 4])
  })

  it('picks the pair of clinicians with most items in common, the first in name order on ties', () => {
    const byRater = ratings({
      Zoe: { a: 1, b: 2, c: 3 },
      Ann: { a: 2, b: 3, c: 4 },
      Bob: { a: 1, b: 5, c: 2, d: 4 },
      Cy: { d: 1 },
    })
    // Ann–Bob, Ann–Zoe and Bob–Zoe share 3; Ann–Bob comes first.
    expect(mostOverlapPair(byRater)).toEqual({ pair: ['Ann', 'Bob'], items: ['a', 'b', 'c'] })
    expect(mostOverlapPair(ratings({ A: { x: 1 }, B: { y: 2 } }))).toBeNull()
  })

  it('says why a baseline or a scorer cannot be computed', () => {
    expect(clinicianPairBaseline(ratings({ A: { x: 1 } }), 5)).toMatchObject({
      status: 'not_computable',
      reason: 'no two clinicians rated the same item',
    })
    const few = clinicianPairBaseline(ratings({ A: { x: 1, y: 2 }, B: { x: 2, y: 3 } }), 5)
    expect(few.reason).toBe('the two clinicians with most items in common share 2; at least 5 are needed')
    const spec = { scorer: 'rouge_l', name: 'ROUGE-L', kind: 'metric' as const, likert: false }
    const flat = scorerVsClinicians(
      spec,
      [1, 2, 3, 4, 5].map((c) => ({ clinicians: c, scorer: 0.3 })),
      {
        seed: 0,
        minItems: 5,
      },
    )
    expect(flat).toMatchObject({
      status: 'not_computable',
      reason: 'ROUGE-L gave all 5 items the same score',
    })
    expect(flat.verdict).toBe(
      'ROUGE-L: agreement with the clinicians cannot be computed — ROUGE-L gave all 5 items the same score.',
    )
  })

  it('ranks computable scorers first by ICC, and says which agrees best', () => {
    const spec = (scorer: string) => ({ scorer, name: scorer, kind: 'metric' as const, likert: false })
    const clin = [1, 2, 3, 4, 5, 2, 4, 3, 5, 1]
    const good = scorerVsClinicians(
      spec('close'),
      clin.map((c, i) => ({ clinicians: c, scorer: c + (i % 2) * 0.3 })),
      {
        seed: 0,
        minItems: 5,
      },
    )
    const bad = scorerVsClinicians(
      spec('far'),
      clin.map((c, i) => ({ clinicians: c, scorer: (i * 7) % 5 })),
      {
        seed: 0,
        minItems: 5,
      },
    )
    const none = scorerVsClinicians(spec('none'), [], { seed: 0, minItems: 5 })
    const ranked = rankScorers([none, bad, good])
    expect(ranked.map((s) => s.scorer)).toEqual(['close', 'far', 'none'])
    const baseline = clinicianPairBaseline(ratings({ A: { x: 1 } }), 5)
    expect(leagueHeadline(ranked, baseline)).toMatch(
      /^close agrees best with your clinicians: ICC\(3,k\) [01]\.\d\d, (good|excellent|moderate)[a-z ]* on the Koo & Li scale\. No clinician–clinician baseline yet/,
    )
    expect(leagueHeadline([], baseline)).toBe('No automatic scorer has scored these outputs yet.')
  })
})
