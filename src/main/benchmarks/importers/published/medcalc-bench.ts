import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate } from './helm'
import { dataError, cell, readCsv, wholeNumber, type ProgressFn } from './read'
import { inChunks } from '../chunks'

/**
 * MedCalc-Bench test set (`dataset/test_data.csv`, 1,047 rows, 55 calculators). As MedHELM's
 * medcalc_bench_scenario: input = "Patient note: <note>\n\nQuestion: <question>\n"; reference =
 * Ground Truth Answer; the category and the Lower/Upper Limit columns go to metadata for the
 * tolerance metric (exact match for risk/severity/diagnosis, [lower, upper] otherwise).
 */

const COLUMNS = [
  'Row Number',
  'Calculator ID',
  'Calculator Name',
  'Category',
  'Output Type',
  'Note ID',
  'Note Type',
  'Patient Note',
  'Question',
  'Ground Truth Answer',
  'Lower Limit',
  'Upper Limit',
  'Ground Truth Explanation',
] as const

export const MEDCALC_MANIFEST: BenchmarkManifestInput = {
  id: 'medcalc_bench',
  name: 'MedCalc-Bench',
  version: 'v1.0-test',
  description: 'Compute a clinical value (score, dose, date, …) from a patient note and a question.',
  taxonomy: { category: 'clinical_decision_support', subcategory: 'supporting_diagnostic_decisions' },
  access: 'public',
  taskType: 'numeric',
  prompt: {
    instructions: 'Given a patient note and a clinical question, compute the requested medical value.',
    template: helmTemplate(null, 'generation'),
    outputNoun: 'Answer only the requested quantity without units. No explanation needed',
    maxTokens: 10,
    temperature: 0,
    stop: [],
  },
  metrics: [
    { name: 'medcalc_accuracy', main: true },
    { name: 'exact_match', main: false },
  ],
  source: {
    name: 'MedCalc-Bench (ncbi-nlp/MedCalc-Bench, dataset/test_data.csv; HF ncbi/MedCalc-Bench-v1.0 test)',
    url: 'https://github.com/ncbi-nlp/MedCalc-Bench',
    license: 'CC BY-SA 4.0',
    citation:
      'Khandekar N, Jin Q, Xiong G, et al. MedCalc-Bench: Evaluating Large Language Models for Medical Calculations. 2024. arXiv:2406.12036.',
    commit: 'fdb7eb8',
  },
}

export async function* medcalcInstances(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  let count = 0
  for await (const row of readCsv(file, { required: COLUMNS, onProgress })) {
    const at = (column: string, nonEmpty = true): string => cell(row, column, file, nonEmpty)
    const loc = { file, line: row.line }
    const rowNumber = String(wholeNumber(at('Row Number'), loc, 'Row Number'))
    const note = at('Patient Note')
    const question = at('Question')
    count++
    yield {
      id: rowNumber,
      input: `Patient note: ${note}\n\nQuestion: ${question}\n`,
      references: [at('Ground Truth Answer')],
      split: 'test',
      metadata: {
        category: at('Category'),
        lowerLimit: at('Lower Limit'),
        upperLimit: at('Upper Limit'),
        calculatorId: wholeNumber(at('Calculator ID'), loc, 'Calculator ID'),
        calculatorName: at('Calculator Name'),
        outputType: at('Output Type'),
        noteId: at('Note ID', false),
        noteType: at('Note Type', false),
        explanation: at('Ground Truth Explanation', false),
      },
    }
  }
  if (count === 0) throw dataError({ file }, null, 'contains no rows after the header')
}

export const medcalcBenchImporter: Importer = {
  format: 'medcalc-bench',
  description: 'MedCalc-Bench test set (test_data.csv): 1,047 clinical calculations from patient notes',
  expects: 'dataset/test_data.csv from github.com/ncbi-nlp/MedCalc-Bench (the 1,047-row v1.0 test set)',
  catalogId: 'medcalc_bench',
  async read(path, options) {
    return {
      manifest: finishManifest(MEDCALC_MANIFEST, options),
      instances: inChunks(medcalcInstances(path, options.onProgress)),
    }
  },
}
