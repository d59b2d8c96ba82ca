import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ehrsqlImporter, extractSchema } from '../../../../src/main/benchmarks/importers/published/ehrsql'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FOLDER = `${DATASETS}/ehrsql/eicu_helm_e172ec8`

describe('EHRSQL importer', () => {
  it('builds valid + test (1,117 + 1,792 = 2,909) as the test split, 950 of them unanswerable', async () => {
    const { manifest, instances } = await importAll(ehrsqlImporter, FOLDER)
    expect(instances).toHaveLength(2909)
    expect(instances.filter((i) => i.metadata['sourceSplit'] === 'valid')).toHaveLength(1117)
    expect(instances.filter((i) => i.metadata['answerable'] === false)).toHaveLength(362 + 588)
    expect(
      instances.every((i) => i.metadata['dbId'] === 'eicu' && i.metadata['database'] === 'eicu.sqlite'),
    ).toBe(true)
    expect(manifest).toMatchObject({
      id: 'ehr_sql',
      taxonomy: { category: 'medical_research', subcategory: 'analyzing_clinical_research_data' },
      taskType: 'sql',
      metrics: [
        { name: 'ehrsql_execution_accuracy', main: true },
        { name: 'exact_match', main: false },
      ],
      prompt: { outputNoun: 'SQL Query', maxTokens: 1024, temperature: 0 },
      source: { license: 'CC BY 4.0', commit: 'e172ec8e61391ecae2d872c8d0ba02a622222f54' },
    })
    expect(manifest.description).toContain('eicu.sqlite')
    expect(manifest.prompt.template).toContain('Medical Question + Schema: {{input}}')
  })

  it('puts the 10 CREATE TABLE statements and the question in the input; the gold query is the reference', async () => {
    const raw = JSON.parse(readFileSync(`${FOLDER}/valid.json`, 'utf8')) as {
      id: string
      question: string
      query: string
      value: object
    }[]
    const schema = extractSchema(readFileSync(`${FOLDER}/eicu.sql`, 'utf8'))
    expect(schema.match(/^CREATE TABLE /gm)).toHaveLength(10)
    expect(schema).not.toContain('DROP TABLE')
    expect(schema.startsWith('CREATE TABLE patient\n(\nuniquepid VARCHAR(10) NOT NULL,\n')).toBe(true)
    const { instances } = await importAll(ehrsqlImporter, FOLDER)
    const first = byId(instances, raw[0]!.id)
    expect(first.input).toBe(
      `-- Database Schema:\n${schema}\n\n--                     Question:\n${raw[0]!.question}\n\n`,
    )
    expect(
      first.input.endsWith("Question:\nwhat is warfarin sodium 2.5 mg po tabs's way of ingesting it?\n\n"),
    ).toBe(true)
    expect(first.references).toEqual([
      "select distinct medication.routeadmin from medication where medication.drugname = 'warfarin sodium 2.5 mg po tabs'",
    ])
    expect(first.metadata).toMatchObject({
      answerable: true,
      value: { drug_name: 'warfarin sodium 2.5 mg po tabs' },
      sourceSplit: 'valid',
    })
    const impossible = instances.find((i) => i.metadata['answerable'] === false)!
    expect(impossible.references).toEqual(['null'])
  })

  it('rejects a question record without its question, naming file, item and field', async () => {
    await expectImportError(ehrsqlImporter, fixture('ehrsql-missing-question'), [
      /test\.json/,
      /item 0 \(id t1\)/,
      /field "question": missing/,
    ])
  })

  it('names the missing file when pointed at the wrong folder', async () => {
    await expectImportError(ehrsqlImporter, `${DATASETS}/ehrsql`, [/no valid\.json/], 'not_found')
  })
})
