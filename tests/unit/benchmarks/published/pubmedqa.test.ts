import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { pubmedqaImporter } from '../../../../src/main/benchmarks/importers/published/pubmedqa'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/pubmedqa/ori_pqal.json`

describe('PubMedQA importer', () => {
  it('builds all 1,000 PQA-L questions as test instances, as MedHELM does', async () => {
    const { manifest, instances } = await importAll(pubmedqaImporter, FILE)
    expect(instances).toHaveLength(1000)
    const labels = instances.map((i) => i.metadata['label'])
    expect(labels.filter((l) => l === 'yes')).toHaveLength(552)
    expect(labels.filter((l) => l === 'no')).toHaveLength(338)
    expect(labels.filter((l) => l === 'maybe')).toHaveLength(110)
    expect(instances.every((i) => i.split === 'test')).toBe(true)
    // File order, as Python's json keeps it (JSON.parse would sort these integer-like keys).
    expect(instances.slice(0, 3).map((i) => i.id)).toEqual(['21645374', '16418930', '9488747'])
    expect(instances.at(-1)!.id).toBe('17559449')

    expect(manifest).toMatchObject({
      id: 'pubmed_qa',
      name: 'PubMedQA',
      taxonomy: { category: 'medical_research', subcategory: 'conducting_literature_research' },
      access: 'public',
      taskType: 'multiple_choice',
      metrics: [{ name: 'exact_match', main: true }],
      source: { license: 'MIT', commit: '1f00b98d5cc626844bf8c4ca513b6e62c40071ec' },
    })
    expect(manifest.prompt).toMatchObject({
      outputNoun: 'Answer',
      maxTokens: 1,
      temperature: 0,
      stop: ['\n'],
    })
    expect(manifest.prompt.instructions).toMatch(/^Answer A for yes, B for no or C for maybe\./)
    expect(manifest.prompt.template).toContain('Question: {{input}}')
  })

  it('forms the input from titled section labels and contexts, and the reference letter from final_decision', async () => {
    const raw = JSON.parse(readFileSync(FILE, 'utf8')) as Record<
      string,
      { QUESTION: string; CONTEXTS: string[]; LABELS: string[] }
    >
    const { instances } = await importAll(pubmedqaImporter, FILE)
    const lace = byId(instances, '21645374')
    const record = raw['21645374']!
    expect(record.LABELS).toEqual(['BACKGROUND', 'RESULTS'])
    expect(lace.input).toBe(
      `Context: Background. ${record.CONTEXTS[0]}\nResults. ${record.CONTEXTS[1]}\n\nQuestion: Do mitochondria play a role in remodelling lace plant leaves during programmed cell death?\n`,
    )
    expect(lace.choices).toEqual(['yes', 'no', 'maybe'])
    expect(lace.references).toEqual(['A'])
    expect(lace.metadata).toMatchObject({ pmid: '21645374', label: 'yes', year: '2011' })
  })

  it('rejects a truncated JSON file, naming the file and line', async () => {
    await expectImportError(pubmedqaImporter, fixture('pubmedqa-truncated.json'), [
      /pubmedqa-truncated\.json/,
      /line \d+/,
      /truncated file\?|looks truncated|is truncated/,
    ])
  })

  it('rejects a record without final_decision, naming the PMID and the field', async () => {
    await expectImportError(pubmedqaImporter, fixture('pubmedqa-missing-decision.json'), [
      /PMID 16418930/,
      /field "final_decision": missing/,
    ])
  })

  it('rejects contexts and labels of different lengths', async () => {
    await expectImportError(pubmedqaImporter, fixture('pubmedqa-label-mismatch.json'), [
      /PMID 16418930/,
      /"LABELS": has 2 labels for 1 contexts/,
    ])
  })

  it('uses --benchmark as the benchmark id and --version as the version', async () => {
    const { manifest, instances } = await importAll(pubmedqaImporter, fixture('pubmedqa-small.json'), {
      benchmarkId: 'pubmedqa_local',
      settings: { version: '2' },
    })
    expect(manifest.id).toBe('pubmedqa_local')
    expect(manifest.version).toBe('2')
    expect(instances.map((i) => i.references[0])).toEqual(['A', 'B'])
  })
})
