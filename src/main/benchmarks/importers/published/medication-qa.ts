import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, juryCriteria, openEndedMetrics } from './helm'
import {
  asObject,
  dataError,
  fileSize,
  optionalStringField,
  readJsonLines,
  stringField,
  type Location,
  type ProgressFn,
} from './read'
import { readXlsxSheet } from './xlsx'
import { inChunks } from '../chunks'

/**
 * MedicationQA (MedInfo 2019 consumer medication questions, sheet `DrugQA`). As MedHELM's
 * medication_qa_scenario: rows without an Answer are dropped; input = Question; reference = Answer.
 * Reads the published workbook (MedInfo2019-QA-Medications.xlsx, sheet DrugQA) or the same sheet
 * exported one JSON object per row (.jsonl; columns Question, Focus (Drug), Question Type, Answer,
 * Section Title, URL).
 */

export const MEDICATION_QA_MANIFEST: BenchmarkManifestInput = {
  id: 'medication_qa',
  name: 'MedicationQA',
  version: '8756adc5',
  description: 'Answer consumer questions about medications.',
  taxonomy: { category: 'patient_communication', subcategory: 'providing_patient_education_resources' },
  access: 'public',
  taskType: 'open_ended',
  prompt: {
    instructions: 'Please answer the following consumer health question.',
    template: helmTemplate('Question', 'generation'),
    outputNoun: 'Answer',
    maxTokens: 512,
    temperature: 0,
    stop: [],
  },
  metrics: openEndedMetrics(),
  jury: {
    criteria: juryCriteria({
      accuracy: 'Is the medication information in the answer correct and consistent with current guidance?',
      completeness:
        "Does the answer address every part of the consumer's medication question with the important details?",
      clarity: 'Is the answer easy for a patient or consumer to understand?',
    }),
  },
  source: {
    name: 'MedicationQA (abachaa/Medication_QA_MedInfo2019, MedInfo2019-QA-Medications.xlsx)',
    url: 'https://github.com/abachaa/Medication_QA_MedInfo2019',
    license: 'not stated (cite Ben Abacha et al., MEDINFO 2019)',
    citation:
      "Ben Abacha A, Mrabet Y, Sharp M, Goodwin T, Shooshan SE, Demner-Fushman D. Bridging the Gap between Consumers' Medication Questions and Trusted Answers. MEDINFO 2019.",
    commit: '8756adc5f4bb99f6bcff690a13921337d9f9bb7e',
  },
}

/** Builds the instance for one sheet row, or null when HELM drops it (no Answer). */
export function medicationQaInstance(
  row: Record<string, unknown>,
  loc: Location,
  sheetRow: number,
): PackInstanceInput | null {
  const answer = optionalStringField(row, 'Answer', loc)
  if (answer === undefined || answer === '') return null
  return {
    id: `row-${sheetRow}`,
    input: stringField(row, 'Question', loc),
    references: [answer],
    split: 'test',
    metadata: {
      sheetRow,
      focusDrug: optionalStringField(row, 'Focus (Drug)', loc) ?? null,
      questionType: optionalStringField(row, 'Question Type', loc) ?? null,
      sectionTitle: optionalStringField(row, 'Section Title', loc) ?? null,
      url: optionalStringField(row, 'URL', loc) ?? null,
    },
  }
}

export async function* medicationQaJsonlInstances(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  let count = 0
  for await (const { line, value } of readJsonLines(file, onProgress)) {
    const loc = { file, line }
    // Line n of the export is sheet row n + 1 (row 1 holds the header).
    const instance = medicationQaInstance(asObject(value, loc), loc, line + 1)
    if (instance) {
      count++
      yield instance
    }
  }
  if (count === 0) throw dataError({ file }, null, 'contains no answered questions')
}

export async function* medicationQaXlsxInstances(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  const size = await fileSize(file)
  const sheet = await readXlsxSheet(file, 'DrugQA')
  onProgress?.(size, size)
  const missing = ['Question', 'Answer'].filter((c) => !sheet.columns.includes(c))
  if (missing.length > 0)
    throw dataError(
      { file, record: `sheet ${sheet.name} row 1` },
      null,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`,
    )
  let count = 0
  for (const row of sheet.rows) {
    const instance = medicationQaInstance(
      row.values,
      { file, record: `sheet ${sheet.name} row ${row.row}` },
      row.row,
    )
    if (instance) {
      count++
      yield instance
    }
  }
  if (count === 0) throw dataError({ file }, null, 'contains no answered questions')
}

export const medicationQaImporter: Importer = {
  format: 'medication-qa',
  description: 'MedicationQA: 690 consumer medication questions with trusted answers',
  expects:
    'MedInfo2019-QA-Medications.xlsx from github.com/abachaa/Medication_QA_MedInfo2019, or its DrugQA sheet exported as JSON Lines (.jsonl, one object per row)',
  catalogId: 'medication_qa',
  async read(path, options) {
    return {
      manifest: finishManifest(MEDICATION_QA_MANIFEST, options),
      instances: inChunks(
        /\.xlsx$/i.test(path)
          ? medicationQaXlsxInstances(path, options.onProgress)
          : medicationQaJsonlInstances(path, options.onProgress),
      ),
    }
  },
}
