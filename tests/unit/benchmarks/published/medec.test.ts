import { describe, expect, it } from 'vitest'
import { medecImporter } from '../../../../src/main/benchmarks/importers/published/medec'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/medec/MEDEC-MS-TestSet-with-GroundTruth-and-ErrorType.csv`

describe('MEDEC importer', () => {
  it('skips the 328 empty MEDEC-UW rows, leaving the 597 MS test texts (311 with an error)', async () => {
    const { manifest, instances } = await importAll(medecImporter, FILE)
    expect(instances).toHaveLength(597)
    expect(instances.filter((i) => i.metadata['errorFlag'] === 1)).toHaveLength(311)
    expect(instances.filter((i) => i.references[0] === 'CORRECT')).toHaveLength(286)
    expect(manifest).toMatchObject({
      id: 'medec',
      taxonomy: { category: 'clinical_decision_support', subcategory: 'planning_treatments' },
      taskType: 'classification',
      metrics: [{ name: 'medec_flag_accuracy', main: true }],
      prompt: { outputNoun: 'Answer', maxTokens: 256 },
    })
    expect(manifest.prompt.instructions).toContain(
      'If the text is correct return the following output: CORRECT.',
    )
    expect(manifest.prompt.template).toContain('Clinical Note: {{input}}')
  })

  it('ms-test-0: numbered sentences with LF (CRLF in the file), reference "<id> <corrected sentence>"', async () => {
    const { instances } = await importAll(medecImporter, FILE)
    const text = byId(instances, 'ms-test-0')
    expect(
      text.input.startsWith(
        '0 A 29-year-old internal medicine resident presents to the emergency department with complaints of fevers, diarrhea, abdominal pain, and skin rash for 2 days.\n1 He feels fatigued and has lost his appetite.\n',
      ),
    ).toBe(true)
    expect(text.input).not.toContain('\r')
    expect(
      text.input.endsWith(
        "\n10 Patient's symptoms are suspected to be due to hepatitis A.\n11 The rest of the examination is normal.",
      ),
    ).toBe(true)
    expect(text.references).toEqual(["10 Patient's symptoms are suspected to be due to Schistosoma mansoni."])
    expect(text.metadata).toEqual({
      errorFlag: 1,
      errorType: 'causalOrganism',
      errorSentenceId: 10,
      errorSentence: "Patient's symptoms are suspected to be due to hepatitis A.",
      correctedSentence: "Patient's symptoms are suspected to be due to Schistosoma mansoni.",
    })
    const correct = byId(instances, 'ms-test-1')
    expect(correct.references).toEqual(['CORRECT'])
    expect(correct.metadata).toMatchObject({ errorFlag: 0, errorSentenceId: -1, errorSentence: null })
  })

  it('rejects an Error Flag that is not 0 or 1, naming the line (after skipping an empty row)', async () => {
    await expectImportError(medecImporter, fixture('medec-bad-flag.csv'), [
      /medec-bad-flag\.csv/,
      /line 6/,
      /field "Error Flag": expected 0 or 1, found something else \(3 characters\)/,
    ])
  })

  it('rejects a file that is not the MEDEC CSV', async () => {
    await expectImportError(medecImporter, fixture('medcalc-missing-column.csv'), [
      /missing columns "Text ID", "Sentences"/,
    ])
  })
})
