import { describe, expect, it } from 'vitest'
import { parseJudgeOutput } from '../../../src/main/jury/parse'

const CRITERIA = ['accuracy', 'completeness', 'clarity']
const valid = {
  accuracy: { score: 4, explanation: 'Correct medication and dose; the allergy is mentioned.' },
  completeness: { score: 3, explanation: 'The follow-up plan is missing.' },
  clarity: { score: 5, explanation: 'Well organised SOAP note.' },
}
const json = JSON.stringify(valid, null, 2)

describe('judge output parser', () => {
  it('valid JSON', () => {
    expect(parseJudgeOutput(json, CRITERIA)).toEqual({
      ok: true,
      repairs: [],
      votes: [
        { criterion: 'accuracy', score: 4, explanation: valid.accuracy.explanation },
        { criterion: 'completeness', score: 3, explanation: valid.completeness.explanation },
        { criterion: 'clarity', score: 5, explanation: valid.clarity.explanation },
      ],
    })
  })

  it('fenced JSON', () => {
    const r = parseJudgeOutput('```json\n' + json + '\n```', CRITERIA)
    expect(r).toMatchObject({ ok: true, repairs: ['removed_code_fence'] })
    expect(r.votes.map((v) => v.score)).toEqual([4, 3, 5])
  })

  it('prose around the JSON', () => {
    const r = parseJudgeOutput(
      `Here is my evaluation of the note:\n${json}\nI hope this helps! {not json}`,
      CRITERIA,
    )
    // Greedy first "{" … last "}" (HELM) fails here; the parser must still find the object.
    expect(r).toMatchObject({ ok: true, repairs: ['removed_text_around_json'] })
    const r2 = parseJudgeOutput(`Here is my evaluation:\n${json}\nLet me know if you need more.`, CRITERIA)
    expect(r2).toMatchObject({ ok: true, repairs: ['removed_text_around_json'] })
  })

  it('a missing closing brace, or two', () => {
    const one = parseJudgeOutput(json.slice(0, -1), CRITERIA)
    expect(one).toMatchObject({ ok: true, repairs: ['added_closing_brace'] })
    expect(one.votes.map((v) => v.score)).toEqual([4, 3, 5])
    const cut = json.replace(/\}\s*\}\s*$/, '')
    const two = parseJudgeOutput(cut, CRITERIA)
    expect(two).toMatchObject({ ok: true, repairs: ['added_closing_brace'] })
    expect(two.votes.map((v) => v.criterion)).toEqual(CRITERIA)
    const prose = parseJudgeOutput(`My evaluation: ${json.slice(0, -1)}`, CRITERIA)
    expect(prose).toMatchObject({ ok: true, repairs: ['removed_text_around_json', 'added_closing_brace'] })
  })

  it('score 0 is a failure with the raw text, never clamped to 1', () => {
    const raw = JSON.stringify({ ...valid, accuracy: { score: 0, explanation: 'x' } })
    const r = parseJudgeOutput(raw, CRITERIA)
    expect(r).toMatchObject({
      ok: false,
      raw,
      issues: [{ code: 'score_out_of_range', criterion: 'accuracy' }],
    })
    expect(r.votes.map((v) => v.criterion)).toEqual(['completeness', 'clarity'])
  })

  it('score 6 is a failure, never clamped to 5', () => {
    const r = parseJudgeOutput(
      JSON.stringify({ ...valid, clarity: { score: 6, explanation: 'x' } }),
      CRITERIA,
    )
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'score_out_of_range', criterion: 'clarity' }] })
  })

  it('a non-numeric score is a failure', () => {
    const r = parseJudgeOutput(
      JSON.stringify({ ...valid, completeness: { score: 'good', explanation: 'x' } }),
      CRITERIA,
    )
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'non_numeric_score', criterion: 'completeness' }] })
    expect(
      parseJudgeOutput(
        JSON.stringify({ ...valid, completeness: { score: '4/5', explanation: 'x' } }),
        CRITERIA,
      ),
    ).toMatchObject({
      ok: false,
      issues: [{ code: 'non_numeric_score' }],
    })
    expect(
      parseJudgeOutput(
        JSON.stringify({ ...valid, completeness: { score: 3.5, explanation: 'x' } }),
        CRITERIA,
      ),
    ).toMatchObject({
      ok: false,
      issues: [{ code: 'non_integer_score' }],
    })
  })

  it('empty output', () => {
    expect(parseJudgeOutput('', CRITERIA)).toMatchObject({
      ok: false,
      raw: '',
      issues: [{ code: 'empty_output' }],
    })
    expect(parseJudgeOutput('  \n ', CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'empty_output' }],
    })
    expect(parseJudgeOutput('<think>hmm</think>', CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'empty_output' }],
    })
  })

  it('no JSON at all, broken JSON, a JSON array', () => {
    expect(parseJudgeOutput('Accuracy: 4, completeness: 3, clarity: 5', CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'no_json' }],
    })
    expect(parseJudgeOutput('{"accuracy": {"score": 4 "explanation": "x"}}', CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'invalid_json' }],
    })
    expect(parseJudgeOutput('[1, 2, 3]', CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'not_an_object' }],
    })
  })

  it('a missing criterion, score or explanation is a failure', () => {
    const { clarity: _c, ...twoOnly } = valid
    expect(parseJudgeOutput(JSON.stringify(twoOnly), CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'missing_criterion', criterion: 'clarity' }],
    })
    expect(
      parseJudgeOutput(JSON.stringify({ ...valid, clarity: { explanation: 'x' } }), CRITERIA),
    ).toMatchObject({
      ok: false,
      issues: [{ code: 'missing_score' }],
    })
    expect(parseJudgeOutput(JSON.stringify({ ...valid, clarity: { score: 4 } }), CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'missing_explanation' }],
    })
    expect(parseJudgeOutput(JSON.stringify({ ...valid, clarity: 4 }), CRITERIA)).toMatchObject({
      ok: false,
      issues: [{ code: 'invalid_criterion' }],
    })
  })

  it('harmless variants are read and recorded as repairs', () => {
    const r = parseJudgeOutput(
      '<think>The note omits follow-up.</think>{"Accuracy": {"score": "4", "explanation": "ok"}, "Completeness": {"score": 3, "explanation": "ok"}, "Clarity": {"score": 5, "explanation": "ok"}}',
      CRITERIA,
    )
    expect(r).toMatchObject({
      ok: true,
      repairs: ['removed_reasoning', 'matched_key_case', 'score_from_string'],
    })
    expect(r.votes.map((v) => v.score)).toEqual([4, 3, 5])
  })

  it('NoteExtract criteria (accuracy, structure, clarity)', () => {
    const r = parseJudgeOutput(
      JSON.stringify({
        accuracy: { score: 2, explanation: 'a' },
        structure: { score: 1, explanation: 'b' },
        clarity: { score: 3, explanation: 'c' },
      }),
      ['accuracy', 'structure', 'clarity'],
    )
    expect(r).toMatchObject({ ok: true })
    expect(r.votes.map((v) => [v.criterion, v.score])).toEqual([
      ['accuracy', 2],
      ['structure', 1],
      ['clarity', 3],
    ])
  })
})
