import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import { finalAnswerText } from './response-text'

/**
 * MEDEC (MEDIQA-CORR 2024) as HELM's `MedecMetric` scores it. The model answers either
 * `CORRECT` (no error) or `<sentence id> <corrected sentence>`.
 *
 * - prediction `CORRECT` → flag 0; starting with digits → flag 1 with that sentence id; anything
 *   else → flag 1 with an invalid id (HELM: "attempted to correct something, in an invalid format").
 * - gold `CORRECT` → flag 0; otherwise flag 1 with the leading sentence id.
 * - flag accuracy (MedHELM's main metric) = predicted flag == gold flag.
 * - sentence accuracy = both flag 1 and ids equal, or both CORRECT.
 */

export interface MedecReading {
  flag: 0 | 1
  /** The sentence id, -1 for CORRECT, null when the text names no valid id. */
  sentenceId: number | null
}

export function readMedecPrediction(response: string): MedecReading {
  const text = finalAnswerText(response)
  if (text === 'CORRECT') return { flag: 0, sentenceId: -1 }
  const m = /^(\d+)/.exec(text)
  return m?.[1] !== undefined
    ? { flag: 1, sentenceId: Number.parseInt(m[1], 10) }
    : { flag: 1, sentenceId: null }
}

export function readMedecGold(reference: string): MedecReading | null {
  const text = reference.trim()
  if (text === 'CORRECT') return { flag: 0, sentenceId: -1 }
  const m = /^(\d+)/.exec(text)
  return m?.[1] !== undefined ? { flag: 1, sentenceId: Number.parseInt(m[1], 10) } : null
}

export interface MedecDetails {
  predicted: MedecReading
  gold: MedecReading
  /** medec_error_sentence_accuracy for the same instance. */
  sentenceAccuracy: 0 | 1
}

/** MedHELM's `medec_error_flag_accuracy` for one instance (value 0/1), with sentence accuracy in details. */
export function medecFlagAccuracy(response: string, reference: string): MetricOutcome<MedecDetails> {
  const gold = readMedecGold(reference)
  if (!gold)
    return metricFailure(
      'invalid_reference',
      'the MEDEC reference is neither "CORRECT" nor "<sentence id> <corrected sentence>"',
    )
  const predicted = readMedecPrediction(response)
  const flag = predicted.flag === gold.flag ? 1 : 0
  const sentenceAccuracy: 0 | 1 =
    gold.flag === 1 && predicted.flag === 1
      ? predicted.sentenceId === gold.sentenceId
        ? 1
        : 0
      : gold.flag === 0 && predicted.flag === 0
        ? 1
        : 0
  return metricValue(flag, { predicted, gold, sentenceAccuracy })
}
