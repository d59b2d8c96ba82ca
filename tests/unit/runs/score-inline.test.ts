import { describe, expect, it } from 'vitest'
import { inlineMetrics, mainMetric, scoreInline } from '../../../src/main/runs/score-inline'

describe('inline scoring', () => {
  it('lists the inline metrics of a manifest, main first, leaving the jury and BERTScore to their passes', () => {
    expect(
      inlineMetrics({
        metrics: [
          { name: 'exact_match', main: false },
          { name: 'medcalc_accuracy', main: true },
        ],
      }),
    ).toEqual(['medcalc_accuracy', 'exact_match'])
    expect(
      inlineMetrics({
        metrics: [
          { name: 'jury', main: true },
          { name: 'rouge_l', main: false },
          { name: 'bertscore', main: false },
        ],
      }),
    ).toEqual(['rouge_l'])
    expect(inlineMetrics({ metrics: [{ name: 'ehrsql_execution_accuracy', main: true }] })).toEqual([])
    expect(
      mainMetric({
        metrics: [
          { name: 'f1', main: false },
          { name: 'bleu', main: false },
        ],
      }),
    ).toBe('f1')
  })

  it('multiple choice: the extracted letter against the gold letter', async () => {
    const inst = { choices: ['yes', 'no', 'maybe'], references: ['C'], metadata: {} }
    expect(await scoreInline(['exact_match'], 'The answer is (C).', inst)).toEqual([
      { metric: 'exact_match', value: 1, status: 'ok', details: expect.objectContaining({ extracted: 'C' }) },
    ])
    expect((await scoreInline(['exact_match'], 'A', inst))[0]).toMatchObject({ value: 0, status: 'ok' })
    // No letter at all is a 0 with the reason, as HELM scores it — not a failure.
    expect((await scoreInline(['exact_match'], 'I cannot tell.', inst))[0]).toMatchObject({
      value: 0,
      status: 'ok',
      details: { reason: 'no_option_letter' },
    })
  })

  it('MedCalc tolerance, and a failure (never a default score) when the reference is unusable', async () => {
    const inst = {
      choices: null,
      references: ['100'],
      metadata: { category: 'physical', lowerLimit: '95', upperLimit: '105' },
    }
    expect(
      (await scoreInline(['medcalc_accuracy', 'exact_match'], '101.5', inst)).map((s) => [s.metric, s.value]),
    ).toEqual([
      ['medcalc_accuracy', 1],
      ['exact_match', 0],
    ])
    const broken = await scoreInline(['medcalc_accuracy'], '101.5', {
      ...inst,
      metadata: { category: 'physical' },
    })
    expect(broken).toEqual([
      {
        metric: 'medcalc_accuracy',
        value: null,
        status: 'failed',
        details: expect.objectContaining({ code: 'invalid_reference' }),
      },
    ])
  })

  it('MEDEC flag accuracy and exact match on a closed label', async () => {
    expect(
      (
        await scoreInline(['medec_flag_accuracy'], 'CORRECT', {
          choices: null,
          references: ['CORRECT'],
          metadata: {},
        })
      )[0],
    ).toMatchObject({ value: 1 })
    expect(
      (await scoreInline(['exact_match'], ' 1 ', { choices: null, references: ['1'], metadata: {} }))[0],
    ).toMatchObject({ value: 1 })
  })
})
