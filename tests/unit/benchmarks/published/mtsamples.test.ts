import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { mtSamplesInstance } from '../../../../src/main/benchmarks/importers/published/mtsamples'
import { mtSamplesProceduresImporter } from '../../../../src/main/benchmarks/importers/published/mtsamples-procedures'
import { mtSamplesReplicateImporter } from '../../../../src/main/benchmarks/importers/published/mtsamples-replicate'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const PROCEDURES = `${DATASETS}/mtsamples/mtsamples_procedures.jsonl`
const REPLICATE = `${DATASETS}/mtsamples/mtsamples_replicate.jsonl`

function rawText(file: string, name: string): string {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const rec = JSON.parse(line) as { file: string; text: string }
    if (rec.file === name) return rec.text
  }
  throw new Error(`${name} not in ${file}`)
}

describe('MTSamples Procedures importer', () => {
  it('keeps the 131 of 429 notes that have a PLAN, SUMMARY or FINDINGS section', async () => {
    const { manifest, instances } = await importAll(mtSamplesProceduresImporter, PROCEDURES)
    expect(instances).toHaveLength(131)
    const sections = instances.map((i) => i.metadata['referenceSection'])
    expect(sections.filter((s) => s === 'FINDINGS')).toHaveLength(98)
    expect(sections.filter((s) => s === 'PLAN')).toHaveLength(27)
    expect(sections.filter((s) => s === 'SUMMARY')).toHaveLength(6)
    expect(manifest).toMatchObject({
      id: 'mtsamples_procedures',
      taxonomy: { category: 'clinical_note_generation', subcategory: 'recording_procedures' },
      taskType: 'open_ended',
      prompt: {
        instructions:
          'Here are information about a patient, return a reasonable treatment plan for the patient.',
        outputNoun: 'Answer',
        maxTokens: 512,
      },
    })
    expect(manifest.prompt.template).toContain('Patient Notes: {{input}}')
  })

  it('cuts every section from the input (here FINDINGS, then SUMMARY) and takes the line after SUMMARY: as reference', async () => {
    const name = 'AC Separation Revision & Hardware Removal.txt'
    const text = rawText(PROCEDURES, name).trim()
    const { instances } = await importAll(mtSamplesProceduresImporter, PROCEDURES)
    const note = byId(instances, name)
    expect(note.input).toBe(text.split('FINDINGS:')[0]!.trim())
    expect(
      note.input.endsWith(
        'Removal of the hardware and revision of right AC separation.ANESTHESIA: General.BLOOD LOSS: 100 cc.\nCOMPLICATIONS: None.',
      ),
    ).toBe(true)
    expect(note.references[0]).toBe(text.split('SUMMARY:')[1]!.split('\n')[0]!.trim())
    expect(note.references[0]!.startsWith('After informed consent was obtained and verified')).toBe(true)
    expect(note.metadata).toEqual({ file: name, referenceSection: 'SUMMARY' })
  })

  it('rejects a sample without text, naming the line', async () => {
    await expectImportError(mtSamplesProceduresImporter, fixture('mtsamples-missing-text.jsonl'), [
      /line 2/,
      /field "text": missing/,
    ])
  })
})

describe('MTSamples Replicate importer', () => {
  it('keeps 539 of 1,269 reports: 546 mention a section, 7 are dropped as HELM drops them', async () => {
    const { manifest, instances } = await importAll(mtSamplesReplicateImporter, REPLICATE)
    expect(instances).toHaveLength(539)
    // "Plan:" without "PLAN:": HELM's case-sensitive split raises IndexError and the file is skipped.
    expect(rawText(REPLICATE, 'OB-GYN Consultation - 4.txt').toUpperCase()).toContain('PLAN:')
    expect(instances.find((i) => i.id === 'OB-GYN Consultation - 4.txt')).toBeUndefined()
    expect(manifest).toMatchObject({
      id: 'mtsamples_replicate',
      taxonomy: { category: 'clinical_decision_support', subcategory: 'planning_treatments' },
      prompt: {
        instructions:
          'Given various information about a patient, return a reasonable treatment plan for the patient.',
        maxTokens: 512,
      },
    })
  })

  it('cuts only the PLAN section from the input', async () => {
    const name = '1-year-old Exam - H&P.txt'
    const { instances } = await importAll(mtSamplesReplicateImporter, REPLICATE)
    const report = byId(instances, name)
    expect(report.input).toBe(rawText(REPLICATE, name).trim().split('PLAN:')[0]!.trim())
    expect(report.input).toContain('IMPRESSION: Routine well child care.')
    expect(report.references).toEqual(['Diagnostic & Lab Orders: Ordered blood lead.'])
  })

  it('falls back from an empty PLAN to SUMMARY, and skips notes without any section', () => {
    const inst = mtSamplesInstance('x.txt', 'HISTORY: cough.\nPLAN:\nSUMMARY: Rest and fluids.\nEnd.', [
      'PLAN',
    ])
    expect(inst?.references).toEqual(['Rest and fluids.'])
    expect(inst?.input).toBe('HISTORY: cough.')
    expect(mtSamplesInstance('y.txt', 'HISTORY: cough only.', ['PLAN'])).toBeNull()
    expect(mtSamplesInstance('z.txt', 'HISTORY: cough.\nPlan: rest.', ['PLAN'])).toBeNull()
  })
})
