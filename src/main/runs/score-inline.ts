import type { BenchmarkManifest, MetricName } from '../../shared/benchmarks/pack'
import { metricFailure, type MetricOutcome } from '../scoring/outcome'
import { scoreReferenceMetric } from '../scoring/score-instance'

/**
 * Scores one answer as soon as it arrives, through the scoring module's per-metric entry point
 * (scoring/score-instance.ts), for every metric of the benchmark's manifest that needs nothing but
 * the answer and the instance (the main metric first). Metrics that need more — the LLM jury,
 * BERTScore's embedding model, EHRSQL's database — are scored later by their own passes and are
 * not listed here.
 *
 * A metric that cannot be computed is a row with status 'failed', value null and the reason in
 * details: never a default score.
 */

export const INLINE_METRICS = [
  'exact_match',
  'medcalc_accuracy',
  'medec_flag_accuracy',
  'label_accuracy',
  'f1',
  'micro_f1',
  'rouge_l',
  'bleu',
] as const satisfies readonly MetricName[]
export type InlineMetric = (typeof INLINE_METRICS)[number]

export interface ScoringInstance {
  choices: readonly string[] | null
  references: readonly string[]
  metadata: Record<string, unknown>
}

export interface ScoreRow {
  metric: MetricName
  value: number | null
  status: 'ok' | 'failed'
  details: Record<string, unknown>
}

function isInline(name: MetricName): name is InlineMetric {
  return (INLINE_METRICS as readonly string[]).includes(name)
}

/** The manifest's main metric (the one marked main, else the first). */
export function mainMetric(manifest: Pick<BenchmarkManifest, 'metrics'>): MetricName | null {
  return (manifest.metrics.find((m) => m.main) ?? manifest.metrics[0])?.name ?? null
}

/** The metrics scored inline for a benchmark, main first. */
export function inlineMetrics(manifest: Pick<BenchmarkManifest, 'metrics'>): InlineMetric[] {
  const main = mainMetric(manifest)
  const names = manifest.metrics.map((m) => m.name)
  const ordered = main ? [main, ...names.filter((n) => n !== main)] : names
  return [...new Set(ordered)].filter(isInline)
}

/** Scores one response for every inline metric of the benchmark. Never throws. */
export async function scoreInline(
  metrics: readonly InlineMetric[],
  response: string,
  instance: ScoringInstance,
): Promise<ScoreRow[]> {
  const rows: ScoreRow[] = []
  for (const metric of metrics) {
    let outcome: MetricOutcome
    try {
      outcome = await scoreReferenceMetric(metric, response, {
        references: instance.references,
        choices: instance.choices ?? undefined,
        metadata: instance.metadata,
      })
    } catch (e) {
      outcome = metricFailure(
        'invalid_input',
        `the ${metric} metric raised an error: ${e instanceof Error ? e.message : String(e)}`,
      )
    }
    rows.push(
      outcome.ok
        ? { metric, value: outcome.value, status: 'ok', details: { ...outcome.details } }
        : {
            metric,
            value: null,
            status: 'failed',
            details: { code: outcome.code, message: outcome.message, ...(outcome.details ?? {}) },
          },
    )
  }
  return rows
}
