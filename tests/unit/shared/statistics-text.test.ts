import { describe, expect, it } from 'vitest'
import { explanationParts, iccVerdict, STATISTIC_EXPLANATIONS } from '../../../src/shared/statistics-text'
import { kooLiLabel } from '../../../src/main/stats/koo-li'

describe('plain-language lines for the figures on screen, in the CLI and in the report', () => {
  it('every explanation names its figure, then says what it means in a sentence', () => {
    for (const key of Object.keys(STATISTIC_EXPLANATIONS) as (keyof typeof STATISTIC_EXPLANATIONS)[]) {
      const { term, text } = explanationParts(key)
      expect(term.length, key).toBeGreaterThan(0)
      expect(term.length, key).toBeLessThan(40)
      expect(text, key).toMatch(/^[A-Za-z'‘"]/)
      expect(text.length, key).toBeGreaterThan(30)
    }
  })

  it('explains each figure a clinician must read', () => {
    expect(explanationParts('winRate')).toEqual({
      term: 'Mean win rate',
      text: expect.stringContaining('head-to-head comparisons this model wins, averaged over benchmarks'),
    })
    expect(STATISTIC_EXPLANATIONS.winRate).toContain('0.5 = middle of the field')
    expect(explanationParts('macro').term).toBe('Macro-average')
    expect(explanationParts('judgeSpread').term).toBe('Judge spread')
    expect(STATISTIC_EXPLANATIONS.judgeSpread).toContain('highest minus the lowest judge score')
    expect(explanationParts('icc').term).toBe('ICC (intraclass correlation)')
    expect(STATISTIC_EXPLANATIONS.icc).toContain('whole 95% interval')
    expect(explanationParts('ci').term).toBe('95% interval')
    expect(explanationParts('runtime').text).toContain('answered faster')
  })

  it('gives an ICC a plain verdict from its Koo & Li label, judged on the lower end of the interval', () => {
    expect(iccVerdict('poor')).toBe(
      'Poor agreement: the scores do not follow the clinicians; do not rely on them here.',
    )
    expect(iccVerdict('excellent')).toBe(
      'Excellent agreement: the scores follow the clinicians almost exactly.',
    )
    // An interval spanning bands: the advice is the cautious one of its lower end.
    expect(iccVerdict(kooLiLabel(0.8, [0.62, 0.91]).label)).toBe(
      'Moderate to excellent agreement: the scores roughly follow the clinicians; check them by hand before relying on them.',
    )
    expect(iccVerdict(kooLiLabel(0.8, [0.77, 0.88]).label)).toBe(
      'Good agreement: the scores follow the clinicians closely.',
    )
    expect(iccVerdict(kooLiLabel(0.8, null).label)).toBe(
      'Good agreement (from the estimate alone: too few answers for an interval): the scores follow the clinicians closely.',
    )
    expect(iccVerdict('poor to good', 'clinicians')).toBe(
      'Poor to good agreement: the clinicians disagree among themselves; a scorer cannot be expected to do better here.',
    )
    expect(iccVerdict('unheard of')).toBe('Agreement: unheard of.')
  })
})
