import { describe, expect, it } from 'vitest'
import { medbulletsImporter } from '../../../../src/main/benchmarks/importers/published/medbullets'
import { DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/medbullets/medbullets_op5.csv`

describe('Medbullets importer', () => {
  it('builds the 308 five-option questions with the README answer distribution', async () => {
    const { manifest, instances } = await importAll(medbulletsImporter, FILE)
    expect(instances).toHaveLength(308)
    const counts: Record<string, number> = {}
    for (const i of instances) counts[i.references[0]!] = (counts[i.references[0]!] ?? 0) + 1
    expect(counts).toEqual({ A: 61, B: 74, C: 53, D: 67, E: 53 })
    expect(instances.every((i) => i.choices?.length === 5)).toBe(true)
    expect(manifest).toMatchObject({
      id: 'medbullets',
      taxonomy: {
        category: 'clinical_decision_support',
        subcategory: 'providing_clinical_knowledge_support',
      },
      taskType: 'multiple_choice',
      metrics: [{ name: 'exact_match', main: true }],
      prompt: { outputNoun: 'Answer', maxTokens: 1, stop: ['\n'] },
    })
    expect(manifest.prompt.instructions).toMatch(/USMLE Step 2\/3 exams.*\(A, B, C, D, or E\)\.$/s)
    expect(manifest.prompt.template).toContain('Clinical Scenario: {{input}}')
  })

  it('first row: question as input, opa…ope as choices, answer_idx as reference', async () => {
    const { instances } = await importAll(medbulletsImporter, FILE)
    const first = instances[0]!
    expect(first.id).toBe('q1')
    expect(
      first.input.startsWith('A 64-year-old man presents to the emergency room with a headache and nausea.'),
    ).toBe(true)
    expect(
      first.input.endsWith(
        'Which of the following is the most appropriate prophylaxis for this patient’s condition?',
      ),
    ).toBe(true)
    expect(first.choices).toEqual([
      'Acetazolamide',
      'Amitriptyline',
      'Clopidogrel',
      'Epinephrine',
      'Verapamil',
    ])
    expect(first.references).toEqual(['A'])
    expect(first.metadata).toMatchObject({
      link: 'https://step2.medbullets.com/testview?qid=108992',
      answerText: 'Acetazolamide',
    })
    expect(String(first.metadata['explanation'])).toMatch(
      /^This patient is presenting with sudden-onset unilateral vision loss/,
    )
  })

  it('rejects a CSV without the option columns', async () => {
    await expectImportError(medbulletsImporter, fixture('medcalc-missing-column.csv'), [
      /line 1/,
      /missing columns "link", "question", "opa"/,
    ])
  })
})
