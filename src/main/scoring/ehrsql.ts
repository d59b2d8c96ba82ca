import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import type { SqlRunResult, SqlValue } from './readonly-sql'
import { stripReasoning } from './response-text'

/**
 * EHRSQL execution accuracy as HELM computes it (annotation/ehr_sql_annotator.py +
 * metrics/ehr_sql_metrics.py):
 *
 * - the predicted SQL is the text inside `<sql>…</sql>` when present, else the whole completion;
 *   backticks are removed and a line that is just "sql" (a code-fence language tag) is dropped;
 * - gold and predicted SQL run on the database; rows are compared as *sets* of tuples, with
 *   Python's equality (1 == 1.0, '1' ≠ 1, NULL == NULL);
 * - score 1 when both results are non-empty and the sets are equal, or when the gold result is
 *   empty, the instance has no fallback values and the model generated no query (EHRSQL's
 *   unanswerable questions, whose gold query is "null"); otherwise 0.
 * - HELM replaces an empty gold result with the instance's question values (`extra_data.value`),
 *   a list of strings no row set can equal; an answerable question whose gold query returns
 *   nothing on this database therefore scores 0 for every model (`details.goldEmpty`).
 *
 * WardEval differences: every query runs read-only, with a time limit; a predicted query that
 * fails, times out, is not a SELECT or returns too many rows scores 0 (HELM: any execution error
 * scores 0); a gold query that fails or times out is a `gold_query_failed` failure, not a 0.
 */

export function extractPredictedSql(response: string): string {
  const text = stripReasoning(response).trim()
  const tagged = /<\s*sql\s*>([\s\S]*?)<\/?\s*sql\s*>/i.exec(text)
  let sql = (tagged ? (tagged[1] ?? '') : text).trim()
  sql = sql.replace(/`/g, '').trim()
  sql = sql.replace(/^sql\n/gm, '')
  return sql
}

/** True when the gold "query" marks an unanswerable question (EHRSQL writes "null"; some copies "nan"). */
export function isUnanswerableGold(goldSql: string): boolean {
  const s = goldSql.trim().toLowerCase()
  return s === '' || s === 'null' || s === 'nan' || s === 'none'
}

function hex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** A key under which two SQLite values collide exactly when Python's `==` holds for them. */
function valueKey(v: SqlValue): string {
  if (v === null) return 'z'
  if (typeof v === 'bigint') {
    const n = Number(v)
    return Number.isSafeInteger(n) ? `n:${n}` : `n:${v.toString()}`
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return `n:${BigInt(v).toString()}`
    return `n:${Object.is(v, -0) ? 0 : v}`
  }
  if (typeof v === 'string') return `s:${v}`
  return `b:${hex(v)}`
}

export function rowSetKeys(rows: readonly (readonly SqlValue[])[]): Set<string> {
  return new Set(rows.map((r) => JSON.stringify(r.map(valueKey))))
}

/** Python `set(a) == set(b)` for lists of row tuples. */
export function sameRowSet(
  a: readonly (readonly SqlValue[])[],
  b: readonly (readonly SqlValue[])[],
): boolean {
  const ka = rowSetKeys(a)
  const kb = rowSetKeys(b)
  if (ka.size !== kb.size) return false
  for (const k of ka) if (!kb.has(k)) return false
  return true
}

export interface EhrsqlDetails {
  predictedSql: string
  /** Row counts, not rows: results may hold patient data and details are stored. */
  goldRowCount: number
  predictedRowCount: number | null
  predictedError?: string
  goldEmpty?: boolean
  unanswerable?: boolean
}

export interface EhrsqlInput {
  response: string
  goldSql: string
  /** The instance's question values (EHRSQL `value`, HELM `extra_data.value`), if any. */
  goldValues?: Record<string, unknown> | null
  /** The instance says the question cannot be answered from the database (EHRSQL `is_impossible`). */
  unanswerable?: boolean
  run: (sql: string) => Promise<SqlRunResult>
}

export async function ehrsqlExecutionAccuracy(input: EhrsqlInput): Promise<MetricOutcome<EhrsqlDetails>> {
  const predictedSql = extractPredictedSql(input.response)
  const noQuery = predictedSql === ''
  const hasFallback = !!input.goldValues && Object.keys(input.goldValues).length > 0

  let goldRows: SqlValue[][] = []
  const unanswerable = input.unanswerable === true || isUnanswerableGold(input.goldSql)
  if (!unanswerable) {
    const gold = await input.run(input.goldSql.trim())
    if (!gold.ok) {
      if (gold.kind === 'database_unavailable') return metricFailure('database_unavailable', gold.message)
      return metricFailure(
        'gold_query_failed',
        `the gold query did not run on this database (${gold.kind}): ${gold.message}`,
      )
    }
    goldRows = gold.rows
  }

  let predictedRows: SqlValue[][] = []
  let predictedError: string | undefined
  if (!noQuery) {
    const pred = await input.run(predictedSql)
    if (pred.ok) predictedRows = pred.rows
    else if (pred.kind === 'database_unavailable') return metricFailure('database_unavailable', pred.message)
    else predictedError = `${pred.kind}: ${pred.message}`
  }

  const details: EhrsqlDetails = {
    predictedSql,
    goldRowCount: goldRows.length,
    predictedRowCount: predictedError === undefined && !noQuery ? predictedRows.length : null,
    ...(predictedError !== undefined ? { predictedError } : {}),
    ...(unanswerable ? { unanswerable: true } : {}),
  }

  if (goldRows.length > 0) {
    return metricValue(predictedRows.length > 0 && sameRowSet(goldRows, predictedRows) ? 1 : 0, details)
  }
  if (!unanswerable) details.goldEmpty = true
  // Empty gold result: HELM compares against the fallback values (never equal to rows) when the
  // instance has them; without them, only "no query generated" is correct.
  if (hasFallback) return metricValue(0, details)
  return metricValue(noQuery ? 1 : 0, details)
}
