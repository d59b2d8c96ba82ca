import type { MetricName } from '../../../shared/benchmarks/pack'
import type { ModelError } from '../../models/errors'
import type { MetricOutcome } from '../../scoring/outcome'
import type { InstanceJuryScore } from '../aggregate'
import { JURY_SCORE_MAX, JURY_SCORE_MIN } from '../criteria'
import { parseJudgeOutput } from '../parse'
import type { JudgeVerdict } from '../retry'

/** The rows a scoring pass writes (scores, jury_votes explanations), as pure functions. */

export interface StoredScore {
  status: 'ok' | 'failed' | 'unscored'
  value: number | null
  details_json: string
}

export interface ScoreRow {
  metric: MetricName
  value: number | null
  status: 'ok' | 'failed' | 'unscored'
  details: Record<string, unknown>
}

/** Failures that are about the judge's setup, not its answer: stop, record nothing. */
export function isSetupFailure(e: ModelError): boolean {
  return (
    e.kind === 'refused' ||
    e.kind === 'model_not_found' ||
    e.kind === 'unreachable' ||
    e.kind === 'aborted' ||
    (e.kind === 'http' && !e.retryable)
  )
}

export function rowOf(metric: MetricName, outcome: MetricOutcome): ScoreRow {
  if (outcome.ok) return { metric, value: outcome.value, status: 'ok', details: { ...outcome.details } }
  return {
    metric,
    value: null,
    status: 'failed',
    details: {
      code: outcome.code,
      message: outcome.message,
      ...(outcome.details ?? {}),
      // A database that was not there may be there next time: a later pass computes it again.
      ...(outcome.code === 'database_unavailable' ? { retryable: true } : {}),
    },
  }
}

/** A stored metric row is kept unless it records a failure a later pass may overcome. */
export function needsScoring(row: StoredScore | undefined): boolean {
  if (!row) return true
  if (row.status === 'ok') return false
  // A failure that may pass next time, or a metric left unscored for want of a setting.
  try {
    return (JSON.parse(row.details_json) as { retryable?: unknown }).retryable === true
  } catch {
    return row.status === 'failed'
  }
}

/** Whether a newly computed row differs from the stored one (only then is it written). */
export function changed(old: StoredScore | undefined, row: ScoreRow): boolean {
  return (
    !old ||
    old.status !== row.status ||
    old.value !== row.value ||
    old.details_json !== JSON.stringify(row.details)
  )
}

/** What the judge is told when its previous answer could not be used. */
export function correction(previous: string, criteria: readonly string[]): string {
  const parsed = parseJudgeOutput(previous, criteria)
  const problems = parsed.ok ? [] : parsed.issues.map((i) => i.message)
  return [
    `Your answer could not be used${problems.length ? `: ${problems.join('; ')}` : ''}.`,
    `Answer again with only the JSON object described above: for each of ${criteria.map((c) => `"${c}"`).join(', ')}, a "score" that is a whole number from ${JURY_SCORE_MIN} to ${JURY_SCORE_MAX} and an "explanation" string.`,
  ].join(' ')
}

/** Why a failed vote failed, for its explanation column (the raw answer goes to raw_text). */
export function failureReason(
  verdict: Extract<JudgeVerdict, { status: 'failed' }>,
  criterion: string,
): string {
  const last = verdict.attempts[verdict.attempts.length - 1]
  const tries = `${verdict.attempts.length} attempt${verdict.attempts.length === 1 ? '' : 's'}`
  if (last?.requestError !== undefined)
    return `No usable answer after ${tries}; the last request failed: ${last.requestError}`
  const own = verdict.issues.filter((i) => i.criterion === criterion)
  const shown = own.length > 0 ? own : verdict.issues
  const what = shown.map((i) => i.message).join('; ') || 'the answer could not be parsed'
  return own.length > 0 || verdict.issues.every((i) => i.criterion === undefined)
    ? `No usable answer after ${tries}: ${what}`
    : `No usable answer after ${tries}; the answer was rejected as a whole: ${what}`
}

/** The jury's row for an empty response: unscored, nobody asked. */
export function emptyJuryRow(judgeKeys: readonly string[], normalized: number | null): ScoreRow {
  return {
    metric: 'jury',
    value: null,
    status: 'unscored',
    details: {
      reason: 'empty_response',
      validVotes: 0,
      failedVotes: 0,
      judges: [...judgeKeys].sort(),
      normalized,
    },
  }
}

/** The jury's metric row of one instance, saying which same-family judges were left out. */
export function juryRow(
  s: InstanceJuryScore,
  judgeKeys: readonly string[],
  excluded: { judges: string[]; family: string } | null,
): ScoreRow {
  const judges = [...judgeKeys].sort()
  const exclusion = excluded
    ? {
        excludedJudges: excluded.judges,
        excludedBecause: `same family as the evaluated model (${excluded.family})`,
      }
    : {}
  if (s.status === 'scored')
    return {
      metric: 'jury',
      value: s.mean,
      status: 'ok',
      details: {
        normalized: s.normalized,
        validVotes: s.validVotes,
        failedVotes: s.failedVotes,
        judges,
        ...exclusion,
      },
    }
  const everyJudgeOut = excluded !== null && excluded.judges.length === judgeKeys.length
  return {
    metric: 'jury',
    value: null,
    status: 'unscored',
    details: {
      reason: everyJudgeOut ? 'all_judges_same_family' : s.reason,
      validVotes: 0,
      failedVotes: s.failedVotes,
      judges,
      normalized: null,
      ...exclusion,
    },
  }
}
