import type { MetricName } from '../../shared/benchmarks/pack'
import { ehrsqlExecutionAccuracy } from './ehrsql'
import { codeSetMicroF1, tokenSetF1 } from './f1'
import { labelAccuracy } from './label'
import { medcalcAccuracy, medcalcGoldFromInstance } from './medcalc'
import { medecFlagAccuracy } from './medec'
import { multipleChoiceExactMatch } from './multiple-choice'
import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import type { SqlRunResult } from './readonly-sql'
import { finalAnswerText } from './response-text'
import { bleuMetric, rougeLMetric } from './text-metrics'

/**
 * One entry point per metric name of the benchmark pack, for the scorer that walks a run's
 * responses. The jury (`jury`) and `bertscore` need model calls and are driven elsewhere
 * (src/main/jury, embedding-similarity.ts); everything here is computed from the response and
 * the instance alone, plus the read-only SQL runner for EHRSQL.
 */

export type ReferenceMetricName = Exclude<MetricName, 'jury' | 'bertscore'>

export interface ScoringInstance {
  references: readonly string[]
  choices?: readonly string[] | undefined
  metadata: Record<string, unknown>
}

export interface ScoringContext {
  /** Runs SQL read-only against the benchmark's database (EHRSQL); absent when none is set up. */
  runSql?: (sql: string) => Promise<SqlRunResult>
}

/** HELM `exact_match`: the stripped response equals a stripped reference (max over references). */
export function exactMatchText(
  response: string,
  references: readonly string[],
): MetricOutcome<{ prediction: string }> {
  if (references.length === 0) return metricFailure('invalid_reference', 'the instance has no reference')
  const prediction = finalAnswerText(response)
  if (prediction === '') return metricValue(0, { prediction })
  return metricValue(references.some((r) => r.trim() === prediction) ? 1 : 0, { prediction })
}

function stringList(v: unknown): string[] | null {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : null
}

export async function scoreReferenceMetric(
  metric: ReferenceMetricName,
  response: string,
  instance: ScoringInstance,
  ctx: ScoringContext = {},
): Promise<MetricOutcome> {
  const { references, choices, metadata } = instance
  switch (metric) {
    case 'exact_match':
      return choices && choices.length > 0
        ? multipleChoiceExactMatch(response, references, choices.length, choices)
        : exactMatchText(response, references)
    case 'label_accuracy': {
      // With options (PubMedQA as HELM builds it) the labels are the option texts and the gold is
      // the text of the gold letter; otherwise metadata.labels lists the label set.
      if (choices && choices.length > 0) {
        const letter = references[0]?.trim() ?? ''
        const index = /^[A-Z]$/.test(letter) ? letter.charCodeAt(0) - 65 : -1
        const gold = choices[index]
        if (gold === undefined)
          return metricFailure('invalid_reference', `gold "${letter}" is not an option letter`)
        return labelAccuracy(response, gold, choices)
      }
      const labels = stringList(metadata.labels)
      if (!labels)
        return metricFailure(
          'invalid_reference',
          'label_accuracy needs choices or metadata.labels (a list of labels)',
        )
      const gold = references[0]
      if (gold === undefined) return metricFailure('invalid_reference', 'the instance has no gold label')
      return labelAccuracy(response, gold, labels)
    }
    case 'medcalc_accuracy': {
      const gold = medcalcGoldFromInstance(instance)
      if ('error' in gold) return metricFailure('invalid_reference', gold.error)
      return medcalcAccuracy(response, gold)
    }
    case 'medec_flag_accuracy': {
      const ref = references[0]
      if (ref === undefined) return metricFailure('invalid_reference', 'the instance has no reference')
      return medecFlagAccuracy(response, ref)
    }
    case 'ehrsql_execution_accuracy': {
      if (!ctx.runSql)
        return metricFailure(
          'database_unavailable',
          'no EHRSQL database file is configured for this benchmark',
        )
      const goldSql = references[0]
      if (goldSql === undefined) return metricFailure('invalid_reference', 'the instance has no gold query')
      const value = metadata.value
      return ehrsqlExecutionAccuracy({
        response,
        goldSql,
        goldValues:
          value !== null && typeof value === 'object' && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : null,
        unanswerable: metadata.answerable === false,
        run: ctx.runSql,
      })
    }
    case 'f1':
      return tokenSetF1(response, references)
    case 'micro_f1':
      return codeSetMicroF1(response, references)
    case 'rouge_l':
      return rougeLMetric(response, references)
    case 'bleu':
      return bleuMetric(response, references, 4)
  }
}
