import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import { stripMarkdownEmphasis, stripReasoning } from './response-text'

/**
 * Label accuracy for closed label sets: PubMedQA's yes/no/maybe, MedHallu's 0/1, RaceBias'
 * yes/no, and a hospital's own classification benchmarks.
 *
 * MedHELM scores these with exact match on the stripped completion. WardEval first reads the label
 * out of free text (`extractLabel`), then compares case-insensitively; no recognisable label
 * scores 0 with the reason kept, as HELM would.
 */

export type LabelSource = 'whole_response' | 'answer_statement' | 'leading_word'

export interface LabelExtraction {
  label: string
  source: LabelSource
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ')
}

/** `labels` are the allowed labels in their canonical spelling; the returned label is one of them. */
export function extractLabel(response: string, labels: readonly string[]): LabelExtraction | null {
  const text = stripMarkdownEmphasis(stripReasoning(response)).trim()
  if (text === '' || labels.length === 0) return null
  const canonical = new Map(labels.map((l) => [norm(l), l]))
  // Longest first so "not applicable" wins over "not".
  const alternatives = [...canonical.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')
  const bound = '(?![\\p{L}\\p{N}])'
  const start = '(?<![\\p{L}\\p{N}])'

  const stripped = norm(text.replace(/^["'([]+|["')\].!;:,]+$/gu, ''))
  const whole = canonical.get(stripped)
  if (whole !== undefined) return { label: whole, source: 'whole_response' }

  const statement = new RegExp(
    `\\b(?:final\\s+)?(?:answer|label|classification|decision|verdict)\\s*(?:is|:|=|would\\s+be|should\\s+be)\\s*:?\\s*["'(\\[]?${start}(${alternatives})${bound}`,
    'giu',
  )
  let last: string | undefined
  for (const m of text.matchAll(statement)) last = m[1]
  if (last !== undefined) return { label: canonical.get(norm(last)) as string, source: 'answer_statement' }

  const leading = new RegExp(`^["'(\\[]?(${alternatives})${bound}`, 'iu').exec(text)
  if (leading?.[1] !== undefined)
    return { label: canonical.get(norm(leading[1])) as string, source: 'leading_word' }

  // A label merely mentioned somewhere in prose ("no significant difference") is not taken as the
  // answer: that would credit guesses HELM scores 0.
  return null
}

export interface LabelDetails {
  extracted: string | null
  source: LabelSource | null
  gold: string
  reason?: 'no_label'
}

/** 1 when the label read from the response equals the gold label (case-insensitive), else 0. */
export function labelAccuracy(
  response: string,
  gold: string,
  labels: readonly string[],
): MetricOutcome<LabelDetails> {
  const goldNorm = norm(gold)
  if (labels.length === 0) return metricFailure('invalid_input', 'the label set is empty')
  if (!labels.some((l) => norm(l) === goldNorm))
    return metricFailure(
      'invalid_reference',
      `gold label "${gold}" is not one of ${labels.map((l) => `"${l}"`).join(', ')}`,
    )
  const found = extractLabel(response, labels)
  if (!found) return metricValue(0, { extracted: null, source: null, gold, reason: 'no_label' })
  return metricValue(norm(found.label) === goldNorm ? 1 : 0, {
    extracted: found.label,
    source: found.source,
    gold,
  })
}
