import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { medicationQaImporter } from '../../../../src/main/benchmarks/importers/published/medication-qa'
import { DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/medication_qa/medication_qa.jsonl`
const XLSX = `${DATASETS}/medication_qa/MedInfo2019-QA-Medications.xlsx`

describe('MedicationQA importer', () => {
  it('builds the 690 answered questions of the DrugQA sheet', async () => {
    const { manifest, instances } = await importAll(medicationQaImporter, FILE)
    expect(instances).toHaveLength(690)
    expect(manifest).toMatchObject({
      id: 'medication_qa',
      taxonomy: { category: 'patient_communication', subcategory: 'providing_patient_education_resources' },
      taskType: 'open_ended',
      prompt: {
        instructions: 'Please answer the following consumer health question.',
        outputNoun: 'Answer',
        maxTokens: 512,
      },
    })
    expect(manifest.metrics[0]).toEqual({ name: 'jury', main: true })
    expect(manifest.jury?.criteria.map((c) => c.id)).toEqual(['accuracy', 'completeness', 'clarity'])
  })

  it('input = Question, reference = Answer of the sheet row', async () => {
    const firstRow = JSON.parse(readFileSync(FILE, 'utf8').split('\n')[0]!) as Record<string, string>
    const { instances } = await importAll(medicationQaImporter, FILE)
    const first = instances[0]!
    expect(first.id).toBe('row-2')
    expect(first.input).toBe('how does rivatigmine and otc sleep medicine interact')
    expect(first.references).toEqual([firstRow['Answer']])
    expect(
      first.references[0]!.startsWith(
        'tell your doctor and pharmacist what prescription and nonprescription medications',
      ),
    ).toBe(true)
    expect(first.metadata).toMatchObject({
      focusDrug: 'rivastigmine',
      questionType: 'Interaction',
      url: 'https://medlineplus.gov/druginfo/meds/a602009.html',
    })
  })

  it('rejects a line that is not JSON and an empty file', async () => {
    await expectImportError(medicationQaImporter, fixture('medhallu-bad-line.jsonl'), [
      /medhallu-bad-line\.jsonl/,
      /line 2/,
      /invalid JSON/,
    ])
    await expectImportError(medicationQaImporter, fixture('empty.jsonl'), [/empty/])
  })

  it('reads the published workbook (sheet DrugQA) into exactly the same instances as its JSONL export', async () => {
    const fromXlsx = await importAll(medicationQaImporter, XLSX)
    const fromJsonl = await importAll(medicationQaImporter, FILE)
    expect(fromXlsx.instances).toHaveLength(690)
    expect(fromXlsx.instances).toEqual(fromJsonl.instances)
    expect(fromXlsx.manifest).toEqual(fromJsonl.manifest)
  })

  it('rejects a file that is not a workbook and a truncated workbook', async () => {
    await expectImportError(medicationQaImporter, fixture('not-a-workbook.xlsx'), [
      /not-a-workbook\.xlsx/,
      /not a readable Excel workbook/,
    ])
    const dir = mkdtempSync(join(tmpdir(), 'medqa-'))
    const cut = join(dir, 'cut.xlsx')
    writeFileSync(cut, readFileSync(XLSX).subarray(0, 60_000))
    await expectImportError(medicationQaImporter, cut, [
      /cut\.xlsx/,
      /not a readable Excel workbook/,
      /truncated/,
    ])
  })
})
