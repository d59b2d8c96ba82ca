import { describe, expect, it } from 'vitest'
import type { SqlRunResult } from '../../../src/main/scoring/readonly-sql'
import { exactMatchText, scoreReferenceMetric } from '../../../src/main/scoring/score-instance'

// Instances shaped as WardEval's importers store them (src/main/benchmarks/importers/published).
const pubmedqa = { references: ['A'], choices: ['yes', 'no', 'maybe'], metadata: {} }
const medcalc = {
  references: ['25.238'],
  metadata: { category: 'lab', lowerLimit: '23.9761', upperLimit: '26.4999' },
}
const medec = {
  references: ["10 Patient's symptoms are suspected to be due to Schistosoma mansoni."],
  metadata: { errorFlag: 1 },
}
const medhallu = { references: ['1'], metadata: { answerKind: 'hallucinated' } }
const ehrsql = {
  references: ["select distinct patient.gender from patient where patient.uniquepid = '028-40370'"],
  metadata: { answerable: true, value: { patient_id: '028-40370' } },
}
const ehrsqlImpossible = { references: ['null'], metadata: { answerable: false, value: {} } }

/** A stand-in for the read-only runner: answers from a fixed table of query results. */
const fakeDb =
  (results: Record<string, SqlRunResult>) =>
  async (sql: string): Promise<SqlRunResult> =>
    results[sql] ?? { ok: false, kind: 'error', message: `no such table in: ${sql}` }

describe('scoreReferenceMetric', () => {
  it('exact_match on a multiple-choice instance extracts the letter', async () => {
    expect(await scoreReferenceMetric('exact_match', 'The answer is A.', pubmedqa)).toMatchObject({
      ok: true,
      value: 1,
    })
    expect(await scoreReferenceMetric('exact_match', 'B', pubmedqa)).toMatchObject({ ok: true, value: 0 })
  })

  it('exact_match without options is HELM string equality (MedHallu 0/1)', async () => {
    expect(await scoreReferenceMetric('exact_match', ' 1\n', medhallu)).toMatchObject({ value: 1 })
    expect(await scoreReferenceMetric('exact_match', '1 (hallucinated)', medhallu)).toMatchObject({
      value: 0,
    })
    expect(exactMatchText('', ['1'])).toMatchObject({ ok: true, value: 0 })
  })

  it('label_accuracy reads option texts, or metadata.labels', async () => {
    expect(await scoreReferenceMetric('label_accuracy', 'Yes.', pubmedqa)).toMatchObject({ value: 1 })
    expect(
      await scoreReferenceMetric('label_accuracy', 'no', {
        references: ['no'],
        metadata: { labels: ['yes', 'no'] },
      }),
    ).toMatchObject({ value: 1 })
    expect(
      await scoreReferenceMetric('label_accuracy', 'no', { references: ['no'], metadata: {} }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_reference',
    })
  })

  it('medcalc_accuracy, medec_flag_accuracy, f1, micro_f1, rouge_l, bleu', async () => {
    expect(await scoreReferenceMetric('medcalc_accuracy', '25.0', medcalc)).toMatchObject({ value: 1 })
    expect(
      await scoreReferenceMetric('medcalc_accuracy', '25.0', { references: ['1'], metadata: {} }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_reference',
    })
    expect(await scoreReferenceMetric('medec_flag_accuracy', 'CORRECT', medec)).toMatchObject({ value: 0 })
    expect(await scoreReferenceMetric('f1', 'schistosoma mansoni', medec)).toMatchObject({ ok: true })
    expect(
      await scoreReferenceMetric('micro_f1', 'I10', { references: ['I10'], metadata: {} }),
    ).toMatchObject({ value: 1 })
    expect(
      await scoreReferenceMetric('rouge_l', 'take with food', {
        references: ['take with food'],
        metadata: {},
      }),
    ).toMatchObject({ value: 1 })
    expect(
      await scoreReferenceMetric('bleu', 'take it with food', {
        references: ['take it with food'],
        metadata: {},
      }),
    ).toMatchObject({ value: 1 })
  })

  it('ehrsql_execution_accuracy runs gold and predicted SQL through the runner', async () => {
    const runSql = fakeDb({
      [ehrsql.references[0]!]: { ok: true, rows: [['female']] },
      "SELECT gender FROM patient WHERE uniquepid = '028-40370'": {
        ok: true,
        rows: [['female'], ['female']],
      },
    })
    expect(
      await scoreReferenceMetric(
        'ehrsql_execution_accuracy',
        "<sql>SELECT gender FROM patient WHERE uniquepid = '028-40370'</sql>",
        ehrsql,
        { runSql },
      ),
    ).toMatchObject({
      ok: true,
      value: 1,
    })
    expect(
      await scoreReferenceMetric('ehrsql_execution_accuracy', '', ehrsqlImpossible, { runSql }),
    ).toMatchObject({ value: 1 })
    expect(await scoreReferenceMetric('ehrsql_execution_accuracy', 'select 1', ehrsql)).toMatchObject({
      ok: false,
      code: 'database_unavailable',
    })
  })
})
