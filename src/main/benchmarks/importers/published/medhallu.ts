import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, pyListRepr } from './helm'
import {
  asObject,
  dataError,
  optionalStringField,
  readJsonLines,
  stringArrayField,
  stringField,
  type ProgressFn,
} from './read'
import { inChunks } from '../chunks'

/**
 * MedHallu, pqa_labeled (HF UTAustin-AIHealth/MedHallu, 1,000 rows, exported as JSON Lines). As
 * MedHELM's medhallu_scenario: each row gives two instances — the ground-truth answer (label "0",
 * factual) and the hallucinated answer (label "1") — 2,000 in all. HELM puts the Knowledge list in
 * an f-string, so the prompt holds Python's list repr ['…', '…']; reproduced exactly.
 */

export const MEDHALLU_MANIFEST: BenchmarkManifestInput = {
  id: 'medhallu',
  name: 'MedHallu',
  version: '51506045',
  description:
    "Classify an answer to a PubMed question, given the article's knowledge, as factual (0) or hallucinated (1).",
  taxonomy: { category: 'medical_research', subcategory: 'ensuring_clinical_research_quality' },
  access: 'public',
  taskType: 'classification',
  prompt: {
    instructions: `You are an AI assistant with extensive knowledge in the field of medicine. I want you act as an answer judge. Given a question and an answer, your objective is to determine if the provided answer contains non-factual or hallucinated information. You SHOULD give your judgement based on the following hallucination types and the world knowledge.

You are trying to determine if there is a factual contradiction between the answer and the world knowledge. Some information in the answer might be fabricated. Answer '0' if the answer is factual and '1' if the answer is hallucinated. You can categorize the answer as hallucinated if it falls in either of the category:
Type: Misinterpretation of #Question#: These are hallucinated answers that misunderstands the question, leading to an off-topic or irrelevant response.
Type: Incomplete Information: These are hallucinated answers that Point out what is not true without providing correct information.
Type: Mechanism and Pathway Misattribution - These are hallucinated answer that falsely attribution of biological mechanisms, molecular pathways, or disease processes that contradicts established medical knowledge
Type: Methodological and Evidence Fabrication - Inventing false research methods, statistical data, or specific clinical outcomes

Do not return anything else, just the answer.
Return just an integer value, '0' if the answer is factual and '1' if the answer is hallucinated. No letter or word, just the integer value.`,
    template: helmTemplate(null, 'generation'),
    outputNoun: `Return just an integer value, '0' if the answer is factual and '1' if the answer is hallucinated.
No letter or word, just the integer value.

Your Judgment`,
    maxTokens: 5,
    temperature: 0,
    stop: [],
  },
  metrics: [{ name: 'exact_match', main: true }],
  source: {
    name: 'MedHallu pqa_labeled (HF UTAustin-AIHealth/MedHallu, revision 51506045)',
    url: 'https://huggingface.co/datasets/UTAustin-AIHealth/MedHallu',
    license: 'MIT',
    citation:
      'Pandit S, Xu J, Hong J, et al. MedHallu: A Comprehensive Benchmark for Detecting Medical Hallucinations in Large Language Models. 2025. arXiv:2502.14302.',
    commit: '515060458a945c633debc6fd5baac7764416b724',
  },
}

export function medhalluInput(knowledge: readonly string[], question: string, answer: string): string {
  return `World Knowledge: ${pyListRepr(knowledge)}\n\nQuestion: ${question}\n\nAnswer: ${answer}\n`
}

export async function* medhalluInstances(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<PackInstanceInput> {
  let rows = 0
  for await (const { line, value } of readJsonLines(file, onProgress)) {
    const loc = { file, line }
    const row = asObject(value, loc)
    const question = stringField(row, 'Question', loc)
    const knowledge = stringArrayField(row, 'Knowledge', loc)
    const groundTruth = stringField(row, 'Ground Truth', loc)
    const hallucinated = stringField(row, 'Hallucinated Answer', loc)
    const metadata = {
      row: line,
      difficulty: optionalStringField(row, 'Difficulty Level', loc) ?? null,
      hallucinationCategory: optionalStringField(row, 'Category of Hallucination', loc) ?? null,
    }
    rows++
    yield {
      id: `${line}-ground-truth`,
      input: medhalluInput(knowledge, question, groundTruth),
      references: ['0'],
      split: 'test',
      metadata: { ...metadata, answerKind: 'ground_truth' },
    }
    yield {
      id: `${line}-hallucinated`,
      input: medhalluInput(knowledge, question, hallucinated),
      references: ['1'],
      split: 'test',
      metadata: { ...metadata, answerKind: 'hallucinated' },
    }
  }
  if (rows === 0) throw dataError({ file }, null, 'contains no rows')
}

export const medhalluImporter: Importer = {
  format: 'medhallu',
  description:
    'MedHallu (pqa_labeled): 1,000 questions, each with a factual and a hallucinated answer to classify',
  expects:
    'the pqa_labeled train split of HF UTAustin-AIHealth/MedHallu exported as JSON Lines (Question, Knowledge, Ground Truth, Hallucinated Answer, …)',
  catalogId: 'medhallu',
  async read(path, options) {
    return {
      manifest: finishManifest(MEDHALLU_MANIFEST, options),
      instances: inChunks(medhalluInstances(path, options.onProgress)),
    }
  },
}
