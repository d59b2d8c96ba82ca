import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { headQaImporter } from '../../../../src/main/benchmarks/importers/published/head-qa'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/headqa/HEAD_EN.json`

describe('HEAD-QA importer', () => {
  it('builds the 2,675 text-only questions of the 2016–2017 test exams (67 image questions skipped)', async () => {
    const { manifest, instances } = await importAll(headQaImporter, FILE)
    expect(instances).toHaveLength(2675)
    expect(new Set(instances.map((i) => i.metadata['year']))).toEqual(new Set([2016, 2017]))
    expect(manifest).toMatchObject({
      id: 'head_qa',
      taxonomy: {
        category: 'clinical_decision_support',
        subcategory: 'providing_clinical_knowledge_support',
      },
      taskType: 'multiple_choice',
      prompt: { outputNoun: 'Answer', maxTokens: 1, stop: ['\n'] },
    })
    expect(manifest.prompt.instructions).toMatch(
      /^You are a highly knowledgeable AI assistant specializing in biomedical sciences\./,
    )
  })

  it('Cuaderno_2016_1_B question 1: qtext, the answers in order, the letter of aid == ra', async () => {
    const raw = JSON.parse(readFileSync(FILE, 'utf8')) as {
      exams: Record<
        string,
        { data: { qid: string; qtext: string; ra: string; answers: { aid: number; atext: string }[] }[] }
      >
    }
    const q = raw.exams['Cuaderno_2016_1_B']!.data[0]!
    const { instances } = await importAll(headQaImporter, FILE)
    const first = byId(instances, 'Cuaderno_2016_1_B-1')
    expect(first.input).toBe(q.qtext)
    expect(first.input).toBe('Form extracellular fibers with high tensile strength:')
    expect(first.choices).toEqual(q.answers.map((a) => a.atext))
    expect(first.choices).toEqual(['Fibronectin', 'Collagen', 'Integrins', 'Proteoglycans'])
    expect(q.ra).toBe('2')
    expect(first.references).toEqual(['B'])
    expect(first.metadata).toEqual({ qid: 1, exam: 'Cuaderno_2016_1_B', category: 'biology', year: 2016 })
  })

  it('imports the dev split (2015) when asked', async () => {
    const { instances } = await importAll(headQaImporter, FILE, { settings: { split: 'dev' } })
    expect(instances).toHaveLength(1366 - 30)
    expect(instances.every((i) => i.split === 'dev' && i.metadata['year'] === 2015)).toBe(true)
  })

  it('rejects a correct answer id that matches no answer', async () => {
    await expectImportError(headQaImporter, fixture('headqa-bad-ra.json'), [
      /headqa-bad-ra\.json/,
      /exam Cuaderno_2016_1_B, data\[0\]/,
      /field "ra": no answer has aid 7/,
    ])
  })
})
