import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate } from './helm'
import { dataError, cell, readCsv, type ProgressFn } from './read'
import { foundInstead } from '../../../errors'
import { inChunks } from '../chunks'

/**
 * Medbullets, 5-option version (`medbullets/medbullets_op5.csv`, 308 USMLE Step 2/3-style
 * questions). As MedHELM's medbullets_scenario: input = question; choices = opa … ope (A–E);
 * reference = answer_idx; id = q<n>, the question's position in the file. The explanation and
 * link go to metadata.
 */

const OPTION_COLUMNS = ['opa', 'opb', 'opc', 'opd', 'ope'] as const
const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const

export const MEDBULLETS_MANIFEST: BenchmarkManifestInput = {
  id: 'medbullets',
  name: 'Medbullets',
  version: 'op5-ef3c9da0',
  description: 'USMLE Step 2/3-style clinical vignettes with five options.',
  taxonomy: { category: 'clinical_decision_support', subcategory: 'providing_clinical_knowledge_support' },
  access: 'public',
  taskType: 'multiple_choice',
  prompt: {
    instructions:
      'You are a highly knowledgeable AI assistant specializing in medicine. Your task is to answer medical questions similar to those found on the USMLE Step 2/3 exams. ' +
      'You will be provided with a clinical scenario followed by several multiple-choice options.\n\n' +
      'Select the correct answer by outputting only the letter corresponding to your choice (A, B, C, D, or E).',
    template: helmTemplate('Clinical Scenario', 'multiple_choice'),
    outputNoun: 'Answer',
    maxTokens: 1,
    temperature: 0,
    stop: ['\n'],
  },
  metrics: [{ name: 'exact_match', main: true }],
  source: {
    name: 'Medbullets (HanjieChen/ChallengeClinicalQA, medbullets/medbullets_op5.csv)',
    url: 'https://github.com/HanjieChen/ChallengeClinicalQA',
    license: 'not stated (questions from step2.medbullets.com; research use)',
    citation:
      'Chen H, Fang Z, Singla Y, Dredze M. Benchmarking Large Language Models on Answering and Explaining Challenging Medical Questions. 2024. arXiv:2402.18060.',
    commit: 'ef3c9da03fc17f46fbd95ce860e0a55c51ed3606',
  },
}

export async function* medbulletsInstances(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  let count = 0
  const required = ['link', 'question', ...OPTION_COLUMNS, 'answer_idx', 'answer', 'explanation']
  // HELM reads the CSV in Python text mode: CRLF inside quoted fields become LF.
  for await (const row of readCsv(file, { required, universalNewlines: true, onProgress })) {
    const loc = { file, line: row.line }
    const answer = cell(row, 'answer_idx', file).trim()
    const answerIndex = LETTERS.indexOf(answer as (typeof LETTERS)[number])
    if (answerIndex === -1)
      throw dataError(loc, 'answer_idx', `expected a letter A–E, ${foundInstead(answer)}`)
    count++
    yield {
      id: `q${count}`,
      input: cell(row, 'question', file),
      choices: OPTION_COLUMNS.map((column) => cell(row, column, file)),
      references: [answer],
      split: 'test',
      metadata: {
        link: cell(row, 'link', file, false),
        answerText: cell(row, 'answer', file, false),
        explanation: cell(row, 'explanation', file, false),
      },
    }
  }
  if (count === 0) throw dataError({ file }, null, 'contains no questions')
}

export const medbulletsImporter: Importer = {
  format: 'medbullets',
  description: 'Medbullets: 308 USMLE Step 2/3-style questions with five options',
  expects: 'medbullets/medbullets_op5.csv from github.com/HanjieChen/ChallengeClinicalQA',
  catalogId: 'medbullets',
  async read(path, options) {
    return {
      manifest: finishManifest(MEDBULLETS_MANIFEST, options),
      instances: inChunks(medbulletsInstances(path, options.onProgress)),
    }
  },
}
