/**
 * BERTScore-style similarity from embedding vectors (Zhang et al. 2020, "BERTScore: Evaluating Text
 * Generation with BERT", eq. 1–3): every candidate unit is greedily matched to its most similar
 * reference unit by cosine similarity and vice versa.
 *
 *   R = Σ_{x∈ref} w(x) · max_{y∈cand} cos(x, y) / Σ w(x)
 *   P = Σ_{y∈cand} w(y) · max_{x∈ref}  cos(x, y) / Σ w(y)
 *   F = 2PR / (P + R)
 *
 * HELM computes it on distilbert token embeddings; WardEval gets embeddings from a local Ollama
 * embedding model, one vector per unit (token, sentence or chunk — the caller decides), so the
 * numbers are "BERTScore-style", not comparable with HELM's BERTScore values. Weights default to 1
 * (BERTScore without idf).
 */

import { metricFailure, metricValue, type MetricOutcome } from './outcome'

export type Vector = readonly number[]

function norm(v: Vector): number {
  let s = 0
  for (const x of v) s += x * x
  return Math.sqrt(s)
}

/** Cosine similarity; null when either vector has zero length or the sizes differ. */
export function cosineSimilarity(a: Vector, b: Vector): number | null {
  if (a.length !== b.length || a.length === 0) return null
  const na = norm(a)
  const nb = norm(b)
  if (na === 0 || nb === 0) return null
  let dot = 0
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number)
  return dot / (na * nb)
}

export interface EmbeddingScore {
  precision: number
  recall: number
  f1: number
}

export interface GreedyMatchInput {
  candidate: readonly Vector[]
  reference: readonly Vector[]
  candidateWeights?: readonly number[]
  referenceWeights?: readonly number[]
}

function checkWeights(name: string, weights: readonly number[] | undefined, n: number): string | null {
  if (weights === undefined) return null
  if (weights.length !== n) return `${name} has ${weights.length} weights for ${n} vectors`
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) return `${name} must be finite and non-negative`
  if (weights.reduce((a, b) => a + b, 0) === 0) return `${name} sum to 0`
  return null
}

/** Greedy-matching precision, recall and F1 over the two sets of embeddings. */
export function greedyMatchScore(input: GreedyMatchInput): MetricOutcome<EmbeddingScore> {
  const { candidate, reference } = input
  if (candidate.length === 0) return metricFailure('invalid_input', 'the candidate has no embedding')
  if (reference.length === 0) return metricFailure('invalid_input', 'the reference has no embedding')
  const dim = candidate[0]?.length ?? 0
  const all = [...candidate, ...reference]
  if (dim === 0 || all.some((v) => v.length !== dim))
    return metricFailure(
      'invalid_input',
      `embeddings must all have the same, non-zero size (first has ${dim})`,
    )
  if (all.some((v) => v.some((x) => !Number.isFinite(x))))
    return metricFailure('invalid_input', 'an embedding contains a non-finite number')
  if (all.some((v) => norm(v) === 0)) return metricFailure('invalid_input', 'an embedding is the zero vector')
  const wErr =
    checkWeights('candidateWeights', input.candidateWeights, candidate.length) ??
    checkWeights('referenceWeights', input.referenceWeights, reference.length)
  if (wErr) return metricFailure('invalid_input', wErr)

  const sim = candidate.map((c) => reference.map((r) => cosineSimilarity(c, r) as number))
  const wc = input.candidateWeights ?? candidate.map(() => 1)
  const wr = input.referenceWeights ?? reference.map(() => 1)
  let pNum = 0
  let pDen = 0
  sim.forEach((row, i) => {
    const w = wc[i] as number
    pNum += w * Math.max(...row)
    pDen += w
  })
  let rNum = 0
  let rDen = 0
  reference.forEach((_, j) => {
    const w = wr[j] as number
    rNum += w * Math.max(...sim.map((row) => row[j] as number))
    rDen += w
  })
  const precision = pNum / pDen
  const recall = rNum / rDen
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return metricValue(f1, { precision, recall, f1 })
}
