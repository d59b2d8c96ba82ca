import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import { optionLetter } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, pyTitle } from './helm'
import { each } from '../chunks'
import { asObject, dataError, readJsonObjectEntries, stringArrayField, stringField } from './read'
import { foundInstead } from '../../../errors'

/**
 * PubMedQA PQA-L (`data/ori_pqal.json`, 1,000 expert-labelled questions). As MedHELM's
 * pubmed_qa_scenario: every record is a test instance (not only the official 500-item test set);
 * input = "Context: " + "<Label>. <context>" lines + "\n\nQuestion: " + question + "\n";
 * choices yes / no / maybe; reference = the letter of `final_decision`.
 */

const ANSWERS = ['yes', 'no', 'maybe'] as const

export const PUBMEDQA_MANIFEST: BenchmarkManifestInput = {
  id: 'pubmed_qa',
  name: 'PubMedQA',
  version: '1f00b98d',
  description: 'Yes/no/maybe question over a PubMed abstract (PQA-L, 1,000 expert-labelled questions).',
  taxonomy: { category: 'medical_research', subcategory: 'conducting_literature_research' },
  access: 'public',
  taskType: 'multiple_choice',
  prompt: {
    instructions:
      'Answer A for yes, B for no or C for maybe. Do not include any explanation or additional text. Output only the letter on a single line.',
    template: helmTemplate('Question', 'multiple_choice'),
    outputNoun: 'Answer',
    maxTokens: 1,
    temperature: 0,
    stop: ['\n'],
  },
  metrics: [{ name: 'exact_match', main: true }],
  source: {
    name: 'PubMedQA (pubmedqa/pubmedqa, data/ori_pqal.json)',
    url: 'https://github.com/pubmedqa/pubmedqa',
    license: 'MIT',
    citation:
      'Jin Q, Dhingra B, Liu Z, Cohen W, Lu X. PubMedQA: A Dataset for Biomedical Research Question Answering. EMNLP-IJCNLP 2019.',
    commit: '1f00b98d5cc626844bf8c4ca513b6e62c40071ec',
  },
}

/** Builds the instances from the file's [PMID, record] pairs, in file order. */
export function pubmedqaInstances(records: [string, unknown][], file: string): PackInstanceInput[] {
  const instances: PackInstanceInput[] = []
  for (const [pmid, value] of records) {
    const loc = { file, record: `PMID ${pmid}` }
    const record = asObject(value, loc)
    const question = stringField(record, 'QUESTION', loc)
    const contexts = stringArrayField(record, 'CONTEXTS', loc)
    const labels = stringArrayField(record, 'LABELS', loc)
    if (contexts.length !== labels.length)
      throw dataError(loc, 'LABELS', `has ${labels.length} labels for ${contexts.length} contexts`)
    const decision = stringField(record, 'final_decision', loc)
    const answerIndex = ANSWERS.indexOf(decision as (typeof ANSWERS)[number])
    if (answerIndex === -1)
      throw dataError(loc, 'final_decision', `expected yes, no or maybe, ${foundInstead(decision)}`)
    const background = contexts.map((context, i) => `${pyTitle(labels[i]!)}. ${context}`).join('\n')
    const year = record['YEAR']
    instances.push({
      id: pmid,
      input: `Context: ${background}\n\nQuestion: ${question}\n`,
      choices: [...ANSWERS],
      references: [optionLetter(answerIndex)],
      split: 'test',
      metadata: {
        pmid,
        label: decision,
        year: typeof year === 'string' ? year : null,
        longAnswer: typeof record['LONG_ANSWER'] === 'string' ? record['LONG_ANSWER'] : null,
      },
    })
  }
  if (instances.length === 0) throw dataError({ file }, null, 'contains no questions')
  return instances
}

export const pubmedqaImporter: Importer = {
  format: 'pubmedqa',
  description: 'PubMedQA PQA-L (ori_pqal.json): 1,000 yes/no/maybe questions over PubMed abstracts',
  expects: 'data/ori_pqal.json from github.com/pubmedqa/pubmedqa',
  catalogId: 'pubmed_qa',
  async read(path, options) {
    const records = await readJsonObjectEntries(
      path,
      'file (a JSON object keyed by PMID)',
      options.onProgress,
    )
    const instances = pubmedqaInstances(records, path)
    return { manifest: finishManifest(PUBMEDQA_MANIFEST, options), instances: each(instances) }
  },
}
