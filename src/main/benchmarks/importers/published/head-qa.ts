import { AppError } from '../../../errors'
import {
  optionLetter,
  type BenchmarkManifestInput,
  type PackInstanceInput,
} from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate } from './helm'
import { each } from '../chunks'
import { asArray, asObject, dataError, readJsonFile, stringField, wholeNumber } from './read'

/**
 * HEAD-QA, English (`HEAD_EN.json`: 30 exams 2013–2017 × 6 healthcare fields). MedHELM's
 * headqa_scenario reads the HF `dvilares/head_qa` (en) test split — the 2016 and 2017 exams — and
 * skips questions that need an image, leaving 2,675. Input = qtext; choices = the answers in
 * order; reference = the letter of the answer whose aid equals ra. Setting `split` = train (2013,
 * 2014) or dev (2015) imports the other HF splits instead.
 */

export const HEADQA_SPLITS: Record<string, readonly string[]> = {
  train: ['2013', '2014'],
  dev: ['2015'],
  test: ['2016', '2017'],
}

export const HEADQA_MANIFEST: BenchmarkManifestInput = {
  id: 'head_qa',
  name: 'HeadQA',
  version: 'en-1.0',
  description: 'Spanish healthcare specialisation exam questions (English version), multiple choice.',
  taxonomy: { category: 'clinical_decision_support', subcategory: 'providing_clinical_knowledge_support' },
  access: 'public',
  taskType: 'multiple_choice',
  prompt: {
    instructions:
      'You are a highly knowledgeable AI assistant specializing in biomedical sciences. Your task is to answer multiple-choice questions accurately based on the options provided. ' +
      'Each question will relate to biomedical concepts, and you will be asked to choose the most appropriate answer.\n\n' +
      'Select the correct answer by outputting only the letter corresponding to your choice (A, B, C, or D).',
    template: helmTemplate('Question', 'multiple_choice'),
    outputNoun: 'Answer',
    maxTokens: 1,
    temperature: 0,
    stop: ['\n'],
  },
  metrics: [{ name: 'exact_match', main: true }],
  source: {
    name: 'HEAD-QA (aghie/head-qa, HEAD_EN release; HF dvilares/head_qa en)',
    url: 'https://github.com/aghie/head-qa',
    license: 'code MIT; data terms not stated',
    citation: 'Vilares D, Gómez-Rodríguez C. HEAD-QA: A Healthcare Dataset for Complex Reasoning. ACL 2019.',
    commit: '',
  },
}

export function headqaInstances(data: unknown, file: string, split: string): PackInstanceInput[] {
  const years = HEADQA_SPLITS[split]
  if (!years)
    throw new AppError('invalid_input', `HEAD-QA split "${split}" is unknown; use train, dev or test`)
  const exams = asObject(asObject(data, { file }, 'file')['exams'], { file, record: 'exams' }, 'exams')
  const instances: PackInstanceInput[] = []
  for (const [key, value] of Object.entries(exams)) {
    const examLoc = { file, record: `exam ${key}` }
    const exam = asObject(value, examLoc)
    const year = stringField(exam, 'year', examLoc)
    if (!years.includes(year)) continue
    const name = stringField(exam, 'name', examLoc)
    const category = stringField(exam, 'category', examLoc)
    asArray(exam['data'], examLoc, 'data').forEach((item, i) => {
      const loc = { file, record: `exam ${key}, data[${i}]` }
      const question = asObject(item, loc)
      const image = question['image']
      if (typeof image === 'string' ? image !== '' : image !== null && image !== undefined) return // needs an image
      const qid = stringField(question, 'qid', loc)
      const ra = wholeNumber(stringField(question, 'ra', loc), loc, 'ra')
      const answers = asArray(question['answers'], loc, 'answers').map((a, j) => {
        const answer = asObject(a, loc, `answers[${j}]`)
        const aid = answer['aid']
        if (typeof aid !== 'number' || !Number.isInteger(aid))
          throw dataError(loc, `answers[${j}].aid`, 'expected a whole number')
        return { aid, text: stringField(answer, 'atext', loc, false) }
      })
      if (answers.length < 2)
        throw dataError(loc, 'answers', `expected at least 2 answers, found ${answers.length}`)
      const correct = answers.findIndex((a) => a.aid === ra)
      if (correct === -1) throw dataError(loc, 'ra', `no answer has aid ${ra}`)
      instances.push({
        id: `${name}-${qid}`,
        input: stringField(question, 'qtext', loc),
        choices: answers.map((a) => a.text),
        references: [optionLetter(correct)],
        split: split === 'test' ? 'test' : split,
        metadata: { qid: wholeNumber(qid, loc, 'qid'), exam: name, category, year: Number(year) },
      })
    })
  }
  if (instances.length === 0)
    throw dataError(
      { file },
      'exams',
      `holds no text-only questions for the ${split} split (years ${years.join(', ')})`,
    )
  return instances
}

export const headQaImporter: Importer = {
  format: 'head-qa',
  description: 'HEAD-QA (English): 2,675 text-only exam questions of 2016–2017 (the HF test split)',
  expects:
    'HEAD_EN.json of the official HEAD-QA release (EN_HEAD); setting split=train|dev|test (default test)',
  catalogId: 'head_qa',
  async read(path, options) {
    const split = options.settings?.['split'] ?? 'test'
    const instances = headqaInstances(await readJsonFile(path, options.onProgress), path, split)
    return { manifest: finishManifest(HEADQA_MANIFEST, options), instances: each(instances) }
  },
}
