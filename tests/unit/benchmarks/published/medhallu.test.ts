import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { medhalluImporter } from '../../../../src/main/benchmarks/importers/published/medhallu'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/medhallu/medhallu_pqa_labeled.jsonl`

describe('MedHallu importer', () => {
  it('makes two instances per row (factual "0", hallucinated "1"): 2,000', async () => {
    const { manifest, instances } = await importAll(medhalluImporter, FILE)
    expect(instances).toHaveLength(2000)
    expect(instances.filter((i) => i.references[0] === '1')).toHaveLength(1000)
    const hard = instances.filter((i) => i.metadata['difficulty'] === 'hard' && i.references[0] === '0')
    expect(hard).toHaveLength(408)
    expect(manifest).toMatchObject({
      id: 'medhallu',
      taxonomy: { category: 'medical_research', subcategory: 'ensuring_clinical_research_quality' },
      taskType: 'classification',
      metrics: [{ name: 'exact_match', main: true }],
      prompt: { maxTokens: 5, stop: [] },
    })
    expect(manifest.prompt.outputNoun.endsWith('\n\nYour Judgment')).toBe(true)
  })

  it('renders Knowledge as the Python list repr HELM puts in its f-string', async () => {
    const row = JSON.parse(readFileSync(FILE, 'utf8').split('\n')[0]!) as Record<string, unknown>
    const knowledge = row['Knowledge'] as string[]
    const { instances } = await importAll(medhalluImporter, FILE)
    const factual = byId(instances, '1-ground-truth')
    const hallucinated = byId(instances, '1-hallucinated')
    expect(factual.input).toBe(
      `World Knowledge: [${knowledge.map((k) => `'${k}'`).join(', ')}]\n\nQuestion: ${row['Question']}\n\nAnswer: ${row['Ground Truth']}\n`,
    )
    expect(
      factual.input.startsWith(
        "World Knowledge: ['Programmed cell death (PCD) is the regulated death of cells within an organism.",
      ),
    ).toBe(true)
    expect(factual.references).toEqual(['0'])
    expect(hallucinated.input.endsWith(`Answer: ${row['Hallucinated Answer']}\n`)).toBe(true)
    expect(hallucinated.references).toEqual(['1'])
    expect(hallucinated.metadata).toMatchObject({
      difficulty: 'medium',
      hallucinationCategory: 'Mechanism and Pathway Misattribution',
      answerKind: 'hallucinated',
    })
  })

  it('quotes list items like Python: double quotes around an apostrophe, escapes when both quotes occur', async () => {
    const { instances } = await importAll(medhalluImporter, fixture('medhallu-small.jsonl'))
    expect(instances.map((i) => i.id)).toEqual(['1-ground-truth', '1-hallucinated'])
    expect(instances[0]!.input).toBe(
      "World Knowledge: [\"It's known.\", 'Plain \"quoted\" and it\\'s both', 'Tab\\there']\n\nQuestion: Q1?\n\nAnswer: GT1\n",
    )
  })

  it('rejects a bad JSON line, a missing field, a non-list Knowledge, a cut-off last line and invalid UTF-8', async () => {
    await expectImportError(medhalluImporter, fixture('medhallu-bad-line.jsonl'), [
      /medhallu-bad-line\.jsonl/,
      /line 2/,
      /invalid JSON/,
    ])
    await expectImportError(medhalluImporter, fixture('medhallu-missing-field.jsonl'), [
      /line 2/,
      /field "Hallucinated Answer": missing/,
    ])
    await expectImportError(medhalluImporter, fixture('medhallu-knowledge-not-list.jsonl'), [
      /line 2/,
      /field "Knowledge": expected an array, found a string/,
    ])
    await expectImportError(medhalluImporter, fixture('medhallu-truncated.jsonl'), [
      /line 2/,
      /the last line is cut off; the file looks truncated/,
    ])
    await expectImportError(medhalluImporter, fixture('medhallu-invalid-utf8.jsonl'), [
      /medhallu-invalid-utf8\.jsonl/,
      /line 2/,
      /UTF-8/,
    ])
  })
})
