import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import { finalAnswerText } from './response-text'

/**
 * F1 metrics as MedHELM uses them.
 *
 * - `tokenSetF1`: HELM's `f1_score` (evaluate_reference_metrics.py): both texts normalised (lower
 *   case, ASCII punctuation removed, articles a/an/the removed, whitespace collapsed), compared as
 *   *sets* of tokens with NLTK's `f_measure`; max over references.
 * - `codeSetMicroF1`: MIMIC-IV billing codes (mimiciv_billing_code_metrics.py): ICD-10 codes pulled
 *   out of both texts, de-duplicated, then sklearn micro precision/recall/F1 with zero_division=0.
 */

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')

/** HELM's `normalize_text` (copied from the QuAC scorer). */
export function normalizeAnswerText(text: string, removeArticles = true): string {
  let out = [...text.toLowerCase()].filter((ch) => !PUNCTUATION.has(ch)).join('')
  if (removeArticles) out = out.replace(/\b(a|an|the)\b/g, ' ')
  return out
    .split(/\s+/)
    .filter((t) => t !== '')
    .join(' ')
}

export interface PrfDetails {
  precision: number
  recall: number
}

function setF1(gold: Set<string>, pred: Set<string>): { precision: number; recall: number; f1: number } {
  let common = 0
  for (const t of pred) if (gold.has(t)) common++
  const precision = pred.size === 0 ? 0 : common / pred.size
  const recall = gold.size === 0 ? 0 : common / gold.size
  const f1 = precision === 0 || recall === 0 ? 0 : 1 / (0.5 / precision + 0.5 / recall)
  return { precision, recall, f1 }
}

/** HELM `f1_score`, max over the references. */
export function tokenSetF1(
  response: string,
  references: readonly string[],
): MetricOutcome<PrfDetails & { reference: number }> {
  if (references.length === 0) return metricFailure('invalid_reference', 'the instance has no reference')
  const pred = new Set(
    normalizeAnswerText(finalAnswerText(response))
      .split(' ')
      .filter((t) => t !== ''),
  )
  let best = { precision: 0, recall: 0, f1: -1, reference: 0 }
  references.forEach((ref, i) => {
    const gold = new Set(
      normalizeAnswerText(ref)
        .split(' ')
        .filter((t) => t !== ''),
    )
    const r = setF1(gold, pred)
    if (r.f1 > best.f1) best = { ...r, reference: i }
  })
  return metricValue(best.f1, { precision: best.precision, recall: best.recall, reference: best.reference })
}

const ICD10 = /\b[A-Z]\d{1,3}(?:\.\d{1,4})?\.?\b/g

/** ICD-10 codes in a text, as HELM extracts them: `**` removed, trailing "." dropped, de-duplicated. */
export function extractIcdCodes(text: string): string[] {
  const cleaned = text.replace(/\*\*/g, '')
  const codes = (cleaned.match(ICD10) ?? []).map((c) => c.replace(/\.+$/, '').trim())
  return [...new Set(codes)]
}

export interface CodeF1Details extends PrfDetails {
  predictedCodes: string[]
  goldCodes: string[]
}

/**
 * MIMIC-IV billing-code micro F1 for one instance. Codes of all references are pooled. A reference
 * without any code is a failure (HELM would score every answer 0 against it).
 */
export function codeSetMicroF1(
  response: string,
  references: readonly string[],
): MetricOutcome<CodeF1Details> {
  const goldCodes = [...new Set(references.flatMap((r) => extractIcdCodes(r)))]
  if (goldCodes.length === 0)
    return metricFailure('invalid_reference', 'the reference contains no ICD-10 code')
  const predictedCodes = extractIcdCodes(finalAnswerText(response))
  const gold = new Set(goldCodes)
  const tp = predictedCodes.filter((c) => gold.has(c)).length
  const precision = predictedCodes.length === 0 ? 0 : tp / predictedCodes.length
  const recall = tp / goldCodes.length
  const f1 = (2 * tp) / (predictedCodes.length + goldCodes.length)
  return metricValue(f1, { precision, recall, predictedCodes, goldCodes })
}
