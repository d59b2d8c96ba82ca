import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { mediqaQaImporter } from '../../../../src/main/benchmarks/importers/published/mediqa-qa'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/mediqa2019_qa/MEDIQA2019-Task3-QA-TestSet-wLabels.xml`

describe('MEDIQA 2019 QA importer', () => {
  it('builds the 150 test questions, each with the answer ranked first by the experts', async () => {
    const { manifest, instances } = await importAll(mediqaQaImporter, FILE)
    expect(instances).toHaveLength(150)
    expect(manifest).toMatchObject({
      id: 'medi_qa',
      taxonomy: {
        category: 'patient_communication',
        subcategory: 'enhancing_patient_understanding_and_accessibility_in_health_communication',
      },
      taskType: 'open_ended',
      prompt: {
        instructions: 'Answer the following consumer health question.',
        outputNoun: 'Answer',
        maxTokens: 1024,
      },
    })
    expect(manifest.jury?.criteria).toHaveLength(3)
  })

  it('matches the HELM-style derivation of every question (qid, question, best answer)', async () => {
    const derived = readFileSync(`${DATASETS}/mediqa2019_qa/derived_test_helm_style.jsonl`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { qid: string; question: string; best_answer: string })
    const { instances } = await importAll(mediqaQaImporter, FILE)
    expect(instances.map((i) => [i.id, i.input, i.references[0]])).toEqual(
      derived.map((d) => [d.qid, d.question, d.best_answer]),
    )
    const first = byId(instances, '1')
    expect(
      first.input.startsWith('abetalipoproteimemia hi, I would like to know if there is any support'),
    ).toBe(true)
    expect(
      first.references[0]!.startsWith(
        'Bassen-Kornzweig syndrome: Bassen-Kornzweig syndrome is a rare disease',
      ),
    ).toBe(true)
    expect(first.metadata['candidateAnswers']).toBeGreaterThan(1)
  })

  it('decodes entities and picks ReferenceRank 1, not the first answer', async () => {
    const { instances } = await importAll(mediqaQaImporter, fixture('mediqa-small.xml'))
    expect(instances).toHaveLength(1)
    expect(instances[0]!.input).toBe('What is abetalipoproteinemia & how is it managed?')
    expect(instances[0]!.references).toEqual([
      "It is an inherited disorder of fat absorption; the body's cells need vitamins.",
    ])
    expect(instances[0]!.metadata).toMatchObject({
      answerId: '1_Answer2',
      answerUrl: 'https://example.org/b',
      candidateAnswers: 2,
    })
  })

  it('rejects truncated XML, mismatched tags and a question without a first-ranked answer', async () => {
    await expectImportError(mediqaQaImporter, fixture('mediqa-truncated.xml'), [
      /mediqa-truncated\.xml/,
      /line \d+/,
      /truncated file\?|looks truncated|is truncated/,
    ])
    await expectImportError(mediqaQaImporter, fixture('mediqa-mismatched.xml'), [
      /line 14/,
      /<\/AnswerLst> does not match <AnswerList> opened on line 5/,
    ])
    await expectImportError(mediqaQaImporter, fixture('mediqa-no-rank-1.xml'), [
      /line 16/,
      /field "ReferenceRank": question 2 has no answer with ReferenceRank 1/,
    ])
  })
})
