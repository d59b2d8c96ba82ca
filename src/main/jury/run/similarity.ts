import { EMBEDDING_NOT_CONFIGURED } from '../../../shared/api/runs'
import { splitSentences } from '../../scoring/bleu'
import { greedyMatchScore, type EmbeddingScore } from '../../scoring/embedding-similarity'
import { metricFailure, type MetricOutcome } from '../../scoring/outcome'
import { stripReasoning } from '../../scoring/response-text'
import type { EmbeddingModel } from './embed'
import { rowOf, type ScoreRow } from './rows'

/**
 * The BERTScore-style similarity of a response to its references: sentence embeddings,
 * greedy-matched, the best reference. `similarityInput` says what to embed (or the row to record
 * without asking anything); `similarityRow` turns the vectors into the metric row.
 */

export interface SimilarityInput {
  candidate: string[]
  references: string[][]
}

/** The embedding model could not be asked (its server failed): a failure, tried again by a later pass. */
export function unavailable(message: string): ScoreRow {
  return {
    metric: 'bertscore',
    value: null,
    status: 'failed',
    details: { code: 'embedding_failed', message, retryable: true },
  }
}

/**
 * No embedding model is chosen: nothing failed, the metric was not asked for. Recorded as unscored
 * (never as a score, nor as a failure that would count against the model), and scored by the
 * first pass that has a model.
 */
export const NOT_CONFIGURED: ScoreRow = {
  metric: 'bertscore',
  value: null,
  status: 'unscored',
  details: {
    code: EMBEDDING_NOT_CONFIGURED,
    message: 'no embedding model is chosen in the scoring settings',
    retryable: true,
  },
}

const units = (t: string) => {
  const s = splitSentences(t)
  return s.length > 0 ? s : [t]
}

/** The texts to embed, or the row when nothing needs to be asked. */
export function similarityInput(
  text: string | null,
  referencesJson: string,
  embedding: EmbeddingModel | null,
): SimilarityInput | ScoreRow {
  if (!embedding) return NOT_CONFIGURED
  const response = stripReasoning(text ?? '').trim()
  if (response === '')
    return { metric: 'bertscore', value: null, status: 'unscored', details: { reason: 'empty_response' } }
  const references = (JSON.parse(referencesJson) as string[]).map((r) => r.trim()).filter((r) => r !== '')
  if (references.length === 0)
    return rowOf('bertscore', metricFailure('invalid_reference', 'the instance has no reference text'))
  return { candidate: units(response), references: references.map(units) }
}

export function similarityRow(
  input: SimilarityInput,
  vectors: number[][],
  embedding: EmbeddingModel,
): ScoreRow {
  const cand = vectors.slice(0, input.candidate.length)
  let offset = input.candidate.length
  let best: { outcome: MetricOutcome<EmbeddingScore>; reference: number } | null = null
  for (const [i, r] of input.references.entries()) {
    const outcome = greedyMatchScore({ candidate: cand, reference: vectors.slice(offset, offset + r.length) })
    offset += r.length
    if (!outcome.ok) return rowOf('bertscore', outcome)
    if (!best || (best.outcome.ok && outcome.value > best.outcome.value)) best = { outcome, reference: i }
  }
  if (!best || !best.outcome.ok)
    return rowOf('bertscore', metricFailure('invalid_reference', 'the instance has no reference text'))
  return {
    metric: 'bertscore',
    value: best.outcome.value,
    status: 'ok',
    details: {
      ...best.outcome.details,
      reference: best.reference,
      model: embedding.key,
      modelDigest: embedding.digest,
      unit: 'sentence',
      candidateUnits: input.candidate.length,
    },
  }
}
