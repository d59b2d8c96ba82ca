import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  codeSetMicroF1,
  extractIcdCodes,
  normalizeAnswerText,
  tokenSetF1,
} from '../../../src/main/scoring/f1'
import { extractLabel, labelAccuracy } from '../../../src/main/scoring/label'
import {
  medcalcAccuracy,
  medcalcGoldFromInstance,
  parseDuration,
  parsePythonFloat,
  parseUsDate,
  type MedcalcGold,
} from '../../../src/main/scoring/medcalc'
import { medecFlagAccuracy } from '../../../src/main/scoring/medec'
import { extractOptionLetter, multipleChoiceExactMatch } from '../../../src/main/scoring/multiple-choice'
import { stripReasoning } from '../../../src/main/scoring/response-text'

interface MedcalcRow {
  'Row Number': string
  Category: string
  'Ground Truth Answer': string
  'Lower Limit': string
  'Upper Limit': string
}
const cases = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/scoring/closed-cases.json'), 'utf8'),
) as {
  medcalc: MedcalcRow[]
  pubmedqa: { pmid: string; question: string; final_decision: string }[]
  medec: { textId: string; errorFlag: number; errorSentenceId: number; reference: string }[]
}
const medcalcRow = (n: string): MedcalcGold => {
  const r = cases.medcalc.find((x) => x['Row Number'] === n)
  if (!r) throw new Error(`row ${n} missing from the fixture`)
  return {
    category: r.Category,
    answer: r['Ground Truth Answer'],
    lowerLimit: r['Lower Limit'],
    upperLimit: r['Upper Limit'],
  }
}

describe('reasoning removal', () => {
  it('drops <think> blocks, a dangling </think> prefix and an unterminated <think>', () => {
    expect(stripReasoning('<think>A or B?</think>\nAnswer: B')).toBe('\nAnswer: B')
    expect(stripReasoning('weighing A vs C…</think>C')).toBe('C')
    expect(stripReasoning('Answer: D <think>still thinking')).toBe('Answer: D ')
    expect(stripReasoning('<think>a</think>x<think>b</think>y')).toBe('xy')
  })
})

describe('option-letter extraction', () => {
  const n = 5
  it.each([
    ['Answer: C', 'C', 'answer_statement'],
    ['(C)', 'C', 'whole_response'],
    ['C', 'C', 'whole_response'],
    ['c.', 'C', 'whole_response'],
    ['The answer is C.', 'C', 'answer_statement'],
    ['The correct answer is (C) Metformin.', 'C', 'answer_statement'],
    ['C. Metformin', 'C', 'leading_option'],
    ['(C) Metformin, because it lowers hepatic glucose output.', 'C', 'leading_option'],
    ['Metformin lowers hepatic glucose output and is first line.\n\nC', 'C', 'last_line'],
    ['**Answer: C**', 'C', 'answer_statement'],
    ['The best option is **C**', 'C', 'answer_statement'],
    [
      '<think>Option A is wrong because… maybe B? The answer is B.</think>\nFinal answer: D',
      'D',
      'answer_statement',
    ],
    ['So the answer is $\\boxed{E}$', 'E', 'boxed'],
    ['The answer is B. On reflection, the answer is D.', 'D', 'answer_statement'],
    ['I would choose (a).', 'A', 'answer_statement'],
  ])('%j → %s', (text, letter, source) => {
    expect(extractOptionLetter(text, n)).toEqual({ letter, source })
  })

  it('finds nothing in prose without an answer, and ignores letters beyond the options', () => {
    expect(extractOptionLetter('Metformin is first-line therapy for type 2 diabetes.', n)).toBeNull()
    expect(extractOptionLetter('the answer is a matter of debate', n)).toBeNull() // lower-case article, not option A
    expect(extractOptionLetter('Answer: F', n)).toBeNull()
    expect(extractOptionLetter('<think>The answer is C', n)).toBeNull() // cut off while thinking
    expect(extractOptionLetter('', n)).toBeNull()
    // Walking through the options is not choosing the first one.
    expect(
      extractOptionLetter(
        'A. Metformin lowers glucose.\nB. Insulin causes weight gain.\nBoth are reasonable.',
        n,
      ),
    ).toBeNull()
  })

  it('accepts a response that is exactly one option text', () => {
    expect(extractOptionLetter('maybe.', 3, ['yes', 'no', 'maybe'])).toEqual({
      letter: 'C',
      source: 'option_text',
    })
  })
})

describe('multiple-choice exact match (PubMedQA as HELM builds it: choices yes/no/maybe, gold = letter)', () => {
  const choices = ['yes', 'no', 'maybe']
  const goldLetter = (d: string) => String.fromCharCode(65 + choices.indexOf(d))

  it('scores real PubMedQA items from free-text answers', () => {
    const [yes, no, maybe] = cases.pubmedqa
    expect(yes?.final_decision).toBe('yes')
    expect(
      multipleChoiceExactMatch('Answer: A', [goldLetter(yes!.final_decision)], 3, choices),
    ).toMatchObject({ ok: true, value: 1 })
    expect(
      multipleChoiceExactMatch('The answer is A.', [goldLetter(no!.final_decision)], 3, choices),
    ).toMatchObject({
      ok: true,
      value: 0,
      details: { extracted: 'A', gold: ['B'] },
    })
    expect(
      multipleChoiceExactMatch(
        '<think>The evidence is mixed.</think>C',
        [goldLetter(maybe!.final_decision)],
        3,
        choices,
      ),
    ).toMatchObject({
      ok: true,
      value: 1,
    })
  })

  it('scores a response without a letter 0 (as HELM maps it to None) and keeps the reason', () => {
    expect(multipleChoiceExactMatch('I cannot decide.', ['A'], 3, choices)).toEqual({
      ok: true,
      value: 0,
      details: { extracted: null, source: null, gold: ['A'], reason: 'no_option_letter' },
    })
  })

  it('fails on a gold answer that is not an option letter', () => {
    expect(multipleChoiceExactMatch('A', ['yes'], 3)).toMatchObject({ ok: false, code: 'invalid_reference' })
    expect(multipleChoiceExactMatch('A', ['D'], 3)).toMatchObject({ ok: false, code: 'invalid_reference' })
    expect(multipleChoiceExactMatch('A', [], 3)).toMatchObject({ ok: false, code: 'invalid_reference' })
  })
})

describe('label accuracy (yes/no/maybe; MedHallu 0/1)', () => {
  const labels = ['yes', 'no', 'maybe']
  it('reads the label from real PubMedQA-style answers', () => {
    for (const item of cases.pubmedqa) {
      expect(labelAccuracy(item.final_decision, item.final_decision, labels)).toMatchObject({
        ok: true,
        value: 1,
      })
      expect(
        labelAccuracy(
          `${item.final_decision[0]!.toUpperCase()}${item.final_decision.slice(1)}.`,
          item.final_decision,
          labels,
        ),
      ).toMatchObject({
        value: 1,
      })
      expect(
        labelAccuracy(
          `Based on the abstract, the answer is **${item.final_decision}**.`,
          item.final_decision,
          labels,
        ),
      ).toMatchObject({
        value: 1,
      })
    }
    expect(extractLabel('Yes, intubation success was lower in flight.', labels)).toEqual({
      label: 'yes',
      source: 'leading_word',
    })
    expect(extractLabel('<think>no? yes?</think>Answer: maybe', labels)).toEqual({
      label: 'maybe',
      source: 'answer_statement',
    })
  })

  it('does not guess from a label merely mentioned in prose', () => {
    expect(labelAccuracy('There was no significant difference between groups.', 'no', labels)).toMatchObject({
      ok: true,
      value: 0,
      details: { reason: 'no_label' },
    })
  })

  it('MedHallu: the output must be 0 or 1', () => {
    expect(labelAccuracy('1', '1', ['0', '1'])).toMatchObject({ value: 1 })
    expect(labelAccuracy('0', '1', ['0', '1'])).toMatchObject({ value: 0 })
  })

  it('fails on a gold label outside the label set', () => {
    expect(labelAccuracy('yes', 'unsure', labels)).toMatchObject({ ok: false, code: 'invalid_reference' })
    expect(labelAccuracy('yes', 'yes', [])).toMatchObject({ ok: false, code: 'invalid_input' })
  })
})

describe('MedCalc-Bench accuracy (real rows, HELM rules)', () => {
  it('lab (row 1, limits ±5%): inside, at the bounds, outside', () => {
    const g = medcalcRow('1')
    expect(g).toEqual({ category: 'lab', answer: '25.238', lowerLimit: '23.9761', upperLimit: '26.4999' })
    expect(medcalcAccuracy('25.238', g)).toMatchObject({
      ok: true,
      value: 1,
      details: { rule: 'numeric_range', parsed: 25.238 },
    })
    expect(medcalcAccuracy('23.9761', g)).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('26.4999', g)).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('26.5', g)).toMatchObject({ value: 0 })
    expect(medcalcAccuracy('<think>CrCl = (140-age)…</think> 24.1 ', g)).toMatchObject({ value: 1 })
  })

  it('prediction that does not parse as a float scores 0 (HELM catches the ValueError)', () => {
    const g = medcalcRow('61')
    expect(medcalcAccuracy('100 mm Hg', g)).toMatchObject({
      ok: true,
      value: 0,
      details: { reason: 'unparseable_prediction' },
    })
    expect(medcalcAccuracy('', g)).toMatchObject({
      ok: true,
      value: 0,
      details: { reason: 'empty_prediction' },
    })
    expect(medcalcAccuracy('1e2', g)).toMatchObject({ value: 1 })
  })

  it('physical and dosage are range-checked', () => {
    expect(medcalcAccuracy('95', medcalcRow('61'))).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('94.99', medcalcRow('61'))).toMatchObject({ value: 0 })
    expect(medcalcAccuracy('53.1', medcalcRow('948'))).toMatchObject({
      value: 1,
      details: { rule: 'numeric_range' },
    })
  })

  it('risk / severity / diagnosis need an exact string match (even for the decimal Wells score)', () => {
    expect(medcalcAccuracy('4', medcalcRow('41'))).toMatchObject({ value: 1, details: { rule: 'exact' } })
    expect(medcalcAccuracy('4.0', medcalcRow('41'))).toMatchObject({ value: 0 })
    expect(medcalcAccuracy('8', medcalcRow('200'))).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('3', medcalcRow('447'))).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('1.5', medcalcRow('120'))).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('1.50', medcalcRow('120'))).toMatchObject({ value: 0 })
  })

  it('date (row 928): MM/DD/YYYY within the limits; other spellings score 0', () => {
    const g = medcalcRow('928')
    expect(medcalcAccuracy('09/23/2014', g)).toMatchObject({ value: 1, details: { rule: 'date_range' } })
    expect(medcalcAccuracy('9/23/2014', g)).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('09/24/2014', g)).toMatchObject({ value: 0 })
    expect(medcalcAccuracy('2014-09-23', g)).toMatchObject({
      value: 0,
      details: { reason: 'unparseable_prediction' },
    })
    expect(medcalcAccuracy('02/30/2014', g)).toMatchObject({
      value: 0,
      details: { reason: 'unparseable_prediction' },
    })
  })

  it('gestational age (rows 1030, 1040): duration within the limits, either tuple spelling', () => {
    expect(medcalcAccuracy("('3 weeks', '4 days')", medcalcRow('1030'))).toMatchObject({
      value: 1,
      details: { rule: 'duration_range', parsed: 25 },
    })
    expect(medcalcAccuracy('(3 weeks, 4 days)', medcalcRow('1030'))).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('(24 weeks, 5 days)', medcalcRow('1040'))).toMatchObject({ value: 1 })
    expect(medcalcAccuracy('(24 weeks, 6 days)', medcalcRow('1040'))).toMatchObject({ value: 0 })
    expect(medcalcAccuracy('24 weeks and 5 days', medcalcRow('1040'))).toMatchObject({
      value: 0,
      details: { reason: 'unparseable_prediction' },
    })
  })

  it('an unknown category or unparseable limits are failures, not zeros', () => {
    expect(
      medcalcAccuracy('3', { category: 'prognosis', answer: '3', lowerLimit: '3', upperLimit: '3' }),
    ).toMatchObject({
      ok: false,
      code: 'unsupported_category',
    })
    expect(
      medcalcAccuracy('3', { category: 'lab', answer: '3', lowerLimit: 'n/a', upperLimit: '4' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_reference',
    })
    expect(
      medcalcAccuracy('09/23/2014', {
        category: 'date',
        answer: '09/23/2014',
        lowerLimit: '2014-09-23',
        upperLimit: '09/23/2014',
      }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_reference',
    })
  })

  it('reads the gold from a pack instance (importer metadata or HELM extra_data keys)', () => {
    expect(
      medcalcGoldFromInstance({
        references: ['25.238'],
        metadata: { category: 'lab', lowerLimit: '23.9761', upperLimit: '26.4999' },
      }),
    ).toEqual(medcalcRow('1'))
    expect(
      medcalcGoldFromInstance({
        references: ['4'],
        metadata: { category: 'risk', lower_limit: 4, upper_limit: 4 },
      }),
    ).toEqual({
      category: 'risk',
      answer: '4',
      lowerLimit: '4',
      upperLimit: '4',
    })
    expect(medcalcGoldFromInstance({ references: ['4'], metadata: { category: 'risk' } })).toEqual({
      error: 'metadata.lowerLimit is missing or not a string/number',
    })
  })

  it('parsers follow Python float() and strptime("%m/%d/%Y")', () => {
    expect(parsePythonFloat(' -1.5e3 ')).toBe(-1500)
    expect(parsePythonFloat('.5')).toBe(0.5)
    expect(parsePythonFloat('5.')).toBe(5)
    expect(parsePythonFloat('1_000')).toBe(1000)
    expect(parsePythonFloat('inf')).toBe(Infinity)
    expect(parsePythonFloat('1,000')).toBeNull()
    expect(parsePythonFloat('0x10')).toBeNull()
    expect(parseUsDate('02/29/2024')).not.toBeNull()
    expect(parseUsDate('02/29/2023')).toBeNull()
    expect(parseUsDate('13/01/2020')).toBeNull()
    expect(parseDuration("('0 weeks', '6 days')")).toBe(6)
    expect(parseDuration('(1 week, 1 day)')).toBe(8)
  })
})

describe('MEDEC flag accuracy (real test-set references)', () => {
  const [err0, ok1, err2] = cases.medec
  it('uses the real references: error notes "<id> <corrected sentence>", correct notes "CORRECT"', () => {
    expect(err0).toMatchObject({ textId: 'ms-test-0', errorFlag: 1, errorSentenceId: 10 })
    expect(ok1).toMatchObject({ errorFlag: 0, reference: 'CORRECT' })
  })

  it('scores the flag and the sentence id as HELM does', () => {
    expect(
      medecFlagAccuracy('10 Patient’s symptoms are due to Schistosoma mansoni.', err0!.reference),
    ).toMatchObject({
      ok: true,
      value: 1,
      details: {
        predicted: { flag: 1, sentenceId: 10 },
        gold: { flag: 1, sentenceId: 10 },
        sentenceAccuracy: 1,
      },
    })
    expect(medecFlagAccuracy('9 something else', err0!.reference)).toMatchObject({
      value: 1,
      details: { sentenceAccuracy: 0 },
    })
    expect(medecFlagAccuracy('CORRECT', err0!.reference)).toMatchObject({
      value: 0,
      details: { sentenceAccuracy: 0 },
    })
    expect(medecFlagAccuracy('CORRECT', ok1!.reference)).toMatchObject({
      value: 1,
      details: { sentenceAccuracy: 1 },
    })
    expect(medecFlagAccuracy('<think>looks fine</think>\nCORRECT\n', ok1!.reference)).toMatchObject({
      value: 1,
    })
    // Any other text is read as "an error was flagged, with an invalid id".
    expect(medecFlagAccuracy('The note is correct.', ok1!.reference)).toMatchObject({
      value: 0,
      details: { predicted: { flag: 1, sentenceId: null } },
    })
    expect(medecFlagAccuracy('Sentence 9 is wrong', err2!.reference)).toMatchObject({
      value: 1,
      details: { sentenceAccuracy: 0 },
    })
  })

  it('fails on a malformed reference', () => {
    expect(medecFlagAccuracy('CORRECT', 'Patient is fine')).toMatchObject({
      ok: false,
      code: 'invalid_reference',
    })
  })
})

describe('F1', () => {
  it("HELM f1_score: normalised token sets with NLTK's f_measure", () => {
    expect(normalizeAnswerText('The Metformin, 500 mg!')).toBe('metformin 500 mg')
    // gold {metformin, 500, mg}, pred {metformin, 1000, mg}: P = R = 2/3
    const r = tokenSetF1('Metformin 1000 mg', ['The metformin 500 mg'])
    expect(r).toMatchObject({ ok: true, details: { precision: 2 / 3, recall: 2 / 3 } })
    expect(r.ok && r.value).toBeCloseTo(2 / 3, 12)
    expect(tokenSetF1('', ['x'])).toMatchObject({ value: 0 })
    expect(tokenSetF1('x', [])).toMatchObject({ ok: false, code: 'invalid_reference' })
  })

  it('billing-code micro F1: ICD-10 codes extracted as HELM does', () => {
    expect(extractIcdCodes('**J18.9**, J45.909. Also I10 and J18.9; not j18.9')).toEqual([
      'J18.9',
      'J45.909',
      'I10',
    ])
    const r = codeSetMicroF1('Codes: J18.9, I10, E11.9', ['J18.9, I10, N17.9, E87.1'])
    // tp 2, |pred| 3, |gold| 4 → P 2/3, R 1/2, F1 4/7
    expect(r).toMatchObject({ ok: true, details: { precision: 2 / 3, recall: 0.5 } })
    expect(r.ok && r.value).toBeCloseTo(4 / 7, 12)
    expect(codeSetMicroF1('no codes here', ['J18.9'])).toMatchObject({
      ok: true,
      value: 0,
      details: { precision: 0, recall: 0 },
    })
    expect(codeSetMicroF1('J18.9', ['none'])).toMatchObject({ ok: false, code: 'invalid_reference' })
  })
})
