import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, juryCriteria, openEndedMetrics } from './helm'
import { each } from '../chunks'
import { dataError, wholeNumber } from './read'
import { attribute, childElement, readXmlFile } from './xml'

/**
 * MEDIQA 2019 Task 3 (question answering), test set with labels
 * (`MEDIQA2019-Task3-QA-TestSet-wLabels.xml`, 150 questions). As MedHELM's medi_qa_scenario (which
 * reads the same file through HF bigbio/mediqa_qa): input = QuestionText; reference = the
 * AnswerText of the first answer whose ReferenceRank is 1; id = QID.
 */

export const MEDIQA_QA_MANIFEST: BenchmarkManifestInput = {
  id: 'medi_qa',
  name: 'MEDIQA',
  version: 'ae5d3826',
  description:
    'Answer consumer health questions; the gold answer is the one the MEDIQA 2019 experts ranked first.',
  taxonomy: {
    category: 'patient_communication',
    subcategory: 'enhancing_patient_understanding_and_accessibility_in_health_communication',
  },
  access: 'public',
  taskType: 'open_ended',
  prompt: {
    instructions: 'Answer the following consumer health question.',
    template: helmTemplate('Question', 'generation'),
    outputNoun: 'Answer',
    maxTokens: 1024,
    temperature: 0,
    stop: [],
  },
  metrics: openEndedMetrics(),
  jury: {
    criteria: juryCriteria({
      accuracy: "Is the medical information in the answer correct for the consumer's question?",
      completeness: 'Does the answer cover all the important points the question asks about?',
      clarity: 'Is the answer clear and understandable for a consumer without medical training?',
    }),
  },
  source: {
    name: 'MEDIQA 2019 Task 3 QA (abachaa/MEDIQA2019, MEDIQA_Task3_QA test set with labels; HF bigbio/mediqa_qa test)',
    url: 'https://github.com/abachaa/MEDIQA2019',
    license: 'not stated (cite the MEDIQA 2019 overview paper)',
    citation:
      'Ben Abacha A, Shivade C, Demner-Fushman D. Overview of the MEDIQA 2019 Shared Task on Textual Inference, Question Entailment and Question Answering. ACL-BioNLP 2019.',
    commit: 'ae5d3826d6c841923b9db831159fef0f1b893593',
  },
}

export async function mediqaInstances(
  file: string,
  onProgress?: (read: number, total: number | null) => void,
): Promise<PackInstanceInput[]> {
  const root = await readXmlFile(file, onProgress)
  const questions = root.children.filter((c) => c.name === 'Question')
  if (questions.length === 0)
    throw dataError({ file, line: root.line }, 'Question', `<${root.name}> holds no <Question> elements`)
  return questions.map((question) => {
    const loc = { file, line: question.line }
    const qid = attribute(question, 'QID', file)
    const text = childElement(question, 'QuestionText', file).text
    if (text.trim() === '') throw dataError(loc, 'QuestionText', 'is empty')
    const answers = childElement(question, 'AnswerList', file).children.filter((c) => c.name === 'Answer')
    const best = answers.find(
      (a) => wholeNumber(attribute(a, 'ReferenceRank', file), { file, line: a.line }, 'ReferenceRank') === 1,
    )
    if (!best) throw dataError(loc, 'ReferenceRank', `question ${qid} has no answer with ReferenceRank 1`)
    const answerText = childElement(best, 'AnswerText', file).text
    if (answerText.trim() === '') throw dataError({ file, line: best.line }, 'AnswerText', 'is empty')
    const url = best.children.find((c) => c.name === 'AnswerURL')?.text ?? null
    return {
      id: qid,
      input: text,
      references: [answerText],
      split: 'test',
      metadata: {
        qid,
        answerId: best.attributes['AID'] ?? null,
        answerUrl: url,
        candidateAnswers: answers.length,
      },
    }
  })
}

export const mediqaQaImporter: Importer = {
  format: 'mediqa-qa',
  description: 'MEDIQA 2019 QA test set: 150 consumer health questions with the expert-ranked best answer',
  expects: 'MEDIQA_Task3_QA/MEDIQA2019-Task3-QA-TestSet-wLabels.xml from github.com/abachaa/MEDIQA2019',
  catalogId: 'medi_qa',
  async read(path, options) {
    const instances = await mediqaInstances(path, options.onProgress)
    return { manifest: finishManifest(MEDIQA_QA_MANIFEST, options), instances: each(instances) }
  },
}
