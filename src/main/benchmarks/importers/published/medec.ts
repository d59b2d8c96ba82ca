import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, pyStrip } from './helm'
import { dataError, cell, readCsv, wholeNumber, type ProgressFn } from './read'
import { foundInstead } from '../../../errors'
import { inChunks } from '../chunks'

/**
 * MEDEC (MEDIQA-CORR 2024) MS test set (`MEDEC-MS/MEDEC-MS-TestSet-with-GroundTruth-and-ErrorType.csv`).
 * As MedHELM's medec_scenario: rows without `Sentences` are skipped (the 328 empty MEDEC-UW
 * placeholder rows), leaving 597; input = the numbered sentences (stripped); reference =
 * "<Error Sentence ID> <Corrected Sentence>" for texts with an error, else "CORRECT". The error
 * flag, sentence and type go to metadata for the flag / sentence metrics.
 */

const COLUMNS = [
  'Text ID',
  'Sentences',
  'Error Flag',
  'Error Type',
  'Error Sentence ID',
  'Error Sentence',
  'Corrected Sentence',
] as const

export const MEDEC_MANIFEST: BenchmarkManifestInput = {
  id: 'medec',
  name: 'MEDEC',
  version: '49c59dcb',
  description:
    'Detect whether a clinical narrative contains a medical error, and which sentence, with a correction.',
  taxonomy: { category: 'clinical_decision_support', subcategory: 'planning_treatments' },
  access: 'public',
  taskType: 'classification',
  prompt: {
    instructions:
      'The following is a medical narrative about a patient. You are a skilled medical doctor reviewing the clinical text. ' +
      'The text is either correct or contains one error. The text has a sentence per line. Each line starts with the ' +
      'sentence ID, followed by a space character then the sentence to check. Check every sentence of the text. ' +
      'If the text is correct return the following output: CORRECT. If the text has a medical error, return the sentence ID ' +
      'of the sentence containing the error, followed by a space, and a corrected version of the sentence.',
    template: helmTemplate('Clinical Note', 'generation'),
    outputNoun: 'Answer',
    maxTokens: 256,
    temperature: 0,
    stop: [],
  },
  metrics: [{ name: 'medec_flag_accuracy', main: true }],
  source: {
    name: 'MEDEC (abachaa/MEDEC, MEDEC-MS test set with ground truth)',
    url: 'https://github.com/abachaa/MEDEC',
    license: 'CC BY 4.0',
    citation:
      'Ben Abacha A, Yim W, Fu Y, Sun Z, Yetisgen M, Xia F, Lin T. MEDEC: A Benchmark for Medical Error Detection and Correction in Clinical Notes. 2024. arXiv:2412.19260.',
    commit: '49c59dcba43a7af8717590a405b11a57f42b04df',
  },
}

export async function* medecInstances(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  let count = 0
  // HELM reads the CSV in Python text mode, so the CRLF inside quoted fields become LF.
  for await (const row of readCsv(file, { required: COLUMNS, universalNewlines: true, onProgress })) {
    const loc = { file, line: row.line }
    if (row.values['Sentences']!.trim() === '') {
      if (Object.values(row.values).every((v) => v.trim() === '')) continue // MEDEC-UW placeholder row
      throw dataError(loc, 'Sentences', 'is empty')
    }
    const at = (column: string, nonEmpty = true): string => cell(row, column, file, nonEmpty)
    const flagText = at('Error Flag').trim()
    if (flagText !== '0' && flagText !== '1')
      throw dataError(loc, 'Error Flag', `expected 0 or 1, ${foundInstead(flagText)}`)
    const errorFlag = Number(flagText)
    const sentenceIdText = pyStrip(at('Error Sentence ID'))
    const errorSentenceId = wholeNumber(sentenceIdText, loc, 'Error Sentence ID')
    const correctedSentence = pyStrip(at('Corrected Sentence', false))
    const errorSentence = pyStrip(at('Error Sentence', false))
    if (errorFlag === 1 && (errorSentenceId < 0 || correctedSentence === 'NA' || correctedSentence === ''))
      throw dataError(
        loc,
        'Corrected Sentence',
        'a text flagged with an error needs its error sentence id and corrected sentence',
      )
    const reference = errorFlag === 1 ? `${sentenceIdText} ${correctedSentence}` : 'CORRECT'
    count++
    yield {
      id: at('Text ID').trim(),
      input: pyStrip(at('Sentences')),
      references: [reference],
      split: 'test',
      metadata: {
        errorFlag,
        errorType: errorFlag === 1 ? at('Error Type').trim() : null,
        errorSentenceId,
        errorSentence: errorFlag === 1 ? errorSentence : null,
        correctedSentence: errorFlag === 1 ? correctedSentence : null,
      },
    }
  }
  if (count === 0) throw dataError({ file }, null, 'contains no texts')
}

export const medecImporter: Importer = {
  format: 'medec',
  description: 'MEDEC MS test set: 597 clinical texts to check for a medical error',
  expects: 'MEDEC-MS/MEDEC-MS-TestSet-with-GroundTruth-and-ErrorType.csv from github.com/abachaa/MEDEC',
  catalogId: 'medec',
  async read(path, options) {
    return {
      manifest: finishManifest(MEDEC_MANIFEST, options),
      instances: inChunks(medecInstances(path, options.onProgress)),
    }
  },
}
