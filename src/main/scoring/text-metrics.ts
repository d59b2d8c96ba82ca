import { BLEU_1_WEIGHTS, BLEU_4_WEIGHTS, helmBleu } from './bleu'
import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import { stripReasoning } from './response-text'
import { rougeLMax, type RougeScore } from './rouge'

/**
 * Reference-based text metrics for open-ended responses, as HELM reports them next to the jury:
 * ROUGE-L (stemmed, F-measure, max over references) and BLEU-1/BLEU-4. Reasoning blocks are
 * removed from the response first. An instance without a non-empty reference is a failure.
 */

function checkReferences(references: readonly string[]): string | null {
  if (references.length === 0) return 'the instance has no reference text'
  if (references.every((r) => r.trim() === '')) return 'every reference text is empty'
  return null
}

export function rougeLMetric(
  response: string,
  references: readonly string[],
): MetricOutcome<RougeScore & { reference: number }> {
  const bad = checkReferences(references)
  if (bad) return metricFailure('invalid_reference', bad)
  const s = rougeLMax(stripReasoning(response).trim(), references)
  return metricValue(s.f1, s)
}

export function bleuMetric(
  response: string,
  references: readonly string[],
  order: 1 | 4 = 4,
): MetricOutcome<{ order: 1 | 4; reference: number }> {
  const bad = checkReferences(references)
  if (bad) return metricFailure('invalid_reference', bad)
  const r = helmBleu(
    stripReasoning(response).trim(),
    references,
    order === 1 ? BLEU_1_WEIGHTS : BLEU_4_WEIGHTS,
  )
  return metricValue(r.value, { order, reference: r.reference })
}
