/**
 * What every metric returns: a value, or a typed failure that says why no value could be
 * computed. A failure is never turned into a score here; the caller records it as a failed score
 * (scores.status = 'failed', value NULL).
 *
 * A wrong or unparseable *model answer* is not a failure: where MedHELM scores it 0, the metric
 * returns `{ ok: true, value: 0 }` with the reason in `details`. Failures are for things that make
 * the metric impossible to compute: a malformed reference, an unsupported category, a gold query
 * that does not run on the user's database.
 */
export type MetricFailureCode =
  | 'invalid_reference' // the gold answer / limits / gold query of the instance are malformed
  | 'unsupported_category' // the instance names a category the metric has no rule for
  | 'invalid_input' // the caller passed something the metric cannot use (e.g. vectors of unequal size)
  | 'gold_query_failed' // the gold SQL raised an error or ran out of time on the user's database
  | 'database_unavailable' // the SQLite file could not be opened read-only

export interface MetricValue<D = object> {
  ok: true
  value: number
  details: D
}

export interface MetricFailure {
  ok: false
  code: MetricFailureCode
  message: string
  details?: Record<string, unknown>
}

export type MetricOutcome<D = object> = MetricValue<D> | MetricFailure

export function metricValue<D>(value: number, details: D): MetricValue<D> {
  return { ok: true, value, details }
}

export function metricFailure(
  code: MetricFailureCode,
  message: string,
  details?: Record<string, unknown>,
): MetricFailure {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details }
}
