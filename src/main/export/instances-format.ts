import { csvRow } from '../csv/cell'
import type { InstanceColumns, InstanceRecord } from './instances'

/**
 * Per-instance records as CSV (one column per metric and per judge × criterion, each with its
 * status and reason, so a failure is a failure and never an empty score) and as JSON Lines.
 */

const BASE = [
  'run_id',
  'benchmark_id',
  'benchmark_version',
  'instance_id',
  'split',
  'model',
  'model_digest',
  'generation_status',
  'generation_error',
  'attempts',
  'response_sha256',
  'latency_ms',
  'prompt_tokens',
  'completion_tokens',
] as const

export function instanceCsvHeader(cols: InstanceColumns, includeText: boolean): string[] {
  return [
    ...BASE,
    ...cols.metrics.flatMap((m) => [`metric[${m}]`, `metric[${m}].status`, `metric[${m}].reason`]),
    ...cols.votes.flatMap(({ judge, criterion }) => {
      const v = `vote[${judge}][${criterion}]`
      return [v, `${v}.status`, `${v}.reason`]
    }),
    ...(includeText ? ['prompt', 'response'] : []),
  ]
}

/**
 * One record's cells. A metric or vote the record does not have is empty with status `none`
 * (e.g. a closed benchmark has no jury; a failed generation has no scores).
 */
export function instanceCsvCells(
  r: InstanceRecord,
  cols: InstanceColumns,
  includeText: boolean,
): (string | number | null)[] {
  const votes = new Map(r.votes.map((v) => [`${v.judge}\u0000${v.criterion}`, v]))
  return [
    r.runId,
    r.benchmarkId,
    r.benchmarkVersion,
    r.instanceId,
    r.split,
    r.modelKey,
    r.modelDigest,
    r.status,
    r.error,
    r.attempts,
    r.responseSha256,
    r.latencyMs,
    r.promptTokens,
    r.completionTokens,
    ...cols.metrics.flatMap((m) => {
      const s = r.metrics[m]
      return s ? [s.value, s.status, s.reason] : [null, 'none', null]
    }),
    ...cols.votes.flatMap(({ judge, criterion }) => {
      const v = votes.get(`${judge}\u0000${criterion}`)
      return v ? [v.score, v.status, v.reason] : [null, 'none', null]
    }),
    ...(includeText ? [r.prompt ?? null, r.response ?? null] : []),
  ]
}

export async function* instanceCsvLines(
  records: AsyncIterable<InstanceRecord>,
  cols: InstanceColumns,
  includeText: boolean,
): AsyncGenerator<string> {
  yield csvRow(instanceCsvHeader(cols, includeText))
  for await (const r of records) yield csvRow(instanceCsvCells(r, cols, includeText))
}

export async function* instanceJsonLines(records: AsyncIterable<InstanceRecord>): AsyncGenerator<string> {
  for await (const r of records) yield JSON.stringify(r)
}
