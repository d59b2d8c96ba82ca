import { createHash } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Db } from '../db/open'
import { AppError } from '../errors'

/**
 * Per-instance results of a run: one record per run item (benchmark × instance × model) with the
 * response's sha256 (never its text unless asked), every metric with its status, and every jury
 * vote with its score or failure reason. Read by keyset pages of run item ids with `.iterate()`:
 * memory stays flat on a run of any size, and the connection is free between pages (the app's
 * other requests go on while a big export is written).
 */

export interface MetricResult {
  status: 'ok' | 'failed' | 'unscored'
  value: number | null
  /** Why it failed or is unscored (the score's recorded reason or error code). */
  reason: string | null
}

export interface VoteResult {
  judge: string
  criterion: string
  status: 'valid' | 'failed'
  score: number | null
  /** Why the vote failed (null for a valid vote). */
  reason: string | null
}

export interface InstanceRecord {
  runId: number
  benchmarkId: string
  benchmarkVersion: string
  instanceId: string
  split: string
  modelKey: string
  modelDigest: string | null
  /** The generation: done, failed (the model never answered) or pending. */
  status: 'done' | 'failed' | 'pending'
  /** Why the generation failed. */
  error: string | null
  attempts: number
  responseSha256: string | null
  latencyMs: number | null
  promptTokens: number | null
  completionTokens: number | null
  metrics: Record<string, MetricResult>
  votes: VoteResult[]
  /** Only with `includeText`: the prompt sent and the response text. */
  prompt?: string | null
  response?: string | null
}

export interface InstanceColumns {
  metrics: string[]
  votes: { judge: string; criterion: string }[]
}

export interface InstanceExportOptions {
  includeText?: boolean
  /** Run items per page (one `.iterate()` each). */
  pageSize?: number
}

/** Does the run exist? AppError naming the option otherwise. */
export function assertRun(db: Db, runId: number, option = '--run'): void {
  if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId))
    throw new AppError('not_found', `${option}: there is no run ${runId} in this database (see \`runs\`)`)
}

/** The metrics and the judge × criterion pairs present in the run: the CSV's columns. */
export function instanceColumns(db: Db, runId: number): InstanceColumns {
  const metrics = db
    .prepare(
      `SELECT DISTINCT s.metric FROM scores s JOIN run_items ri ON ri.id = s.run_item_id
       WHERE ri.run_id = ? ORDER BY s.metric`,
    )
    .pluck()
    .all(runId) as string[]
  const votes = db
    .prepare(
      `SELECT DISTINCT v.judge_key AS judge, v.criterion FROM jury_votes v JOIN run_items ri ON ri.id = v.run_item_id
       WHERE ri.run_id = ? ORDER BY v.judge_key, v.criterion`,
    )
    .all(runId) as { judge: string; criterion: string }[]
  return { metrics, votes }
}

export function countInstanceRecords(db: Db, runId: number): number {
  return db.prepare('SELECT COUNT(*) FROM run_items WHERE run_id = ?').pluck().get(runId) as number
}

interface PageRow {
  id: number
  model_key: string
  status: InstanceRecord['status']
  error: string | null
  attempts: number
  ext_id: string
  split: string
  benchmark_id: string
  version: string
  model_digest: string | null
  text: string | null
  latency_ms: number | null
  prompt_tokens: number | null
  completion_tokens: number | null
  prompt: string | null
  scores: string
  votes: string
}

const pageSql = (includeText: boolean) => `
  SELECT ri.id, ri.model_key, ri.status, ri.error, ri.attempts, i.ext_id, i.split, bv.benchmark_id, bv.version,
         rm.model_digest, r.text, r.latency_ms, r.prompt_tokens, r.completion_tokens,
         ${includeText ? 'rq.prompt' : 'NULL'} AS prompt,
         (SELECT json_group_array(json_array(s.metric, s.status, s.value,
                   COALESCE(json_extract(s.details_json, '$.reason'), json_extract(s.details_json, '$.message'),
                            json_extract(s.details_json, '$.code'))))
            FROM scores s WHERE s.run_item_id = ri.id) AS scores,
         (SELECT json_group_array(json_array(v.judge_key, v.criterion, v.status, v.score,
                   CASE WHEN v.status = 'failed' THEN COALESCE(v.explanation, 'failed') END))
            FROM jury_votes v WHERE v.run_item_id = ri.id) AS votes
  FROM run_items ri JOIN instances i ON i.id = ri.instance_id
       JOIN benchmark_versions bv ON bv.id = i.benchmark_version_id
       LEFT JOIN run_models rm ON rm.run_id = ri.run_id AND rm.model_key = ri.model_key
       LEFT JOIN responses r ON r.id = ri.response_id
       LEFT JOIN requests rq ON rq.id = r.request_id
  WHERE ri.run_id = ? AND ri.id > ? ORDER BY ri.id LIMIT ?`

function toRecord(runId: number, r: PageRow, includeText: boolean): InstanceRecord {
  const metrics: Record<string, MetricResult> = {}
  for (const [name, status, value, reason] of JSON.parse(r.scores) as [
    string,
    MetricResult['status'],
    number | null,
    unknown,
  ][])
    metrics[name] = {
      status,
      value: status === 'ok' ? value : null,
      reason: reason == null ? null : String(reason),
    }
  const votes = (
    JSON.parse(r.votes) as [string, string, VoteResult['status'], number | null, string | null][]
  )
    .map(([judge, criterion, status, score, reason]) => ({ judge, criterion, status, score, reason }))
    .sort((a, b) =>
      a.judge === b.judge ? a.criterion.localeCompare(b.criterion) : a.judge < b.judge ? -1 : 1,
    )
  return {
    runId,
    benchmarkId: r.benchmark_id,
    benchmarkVersion: r.version,
    instanceId: r.ext_id,
    split: r.split,
    modelKey: r.model_key,
    modelDigest: r.model_digest,
    status: r.status,
    error: r.error,
    attempts: r.attempts,
    responseSha256: r.text === null ? null : createHash('sha256').update(r.text, 'utf8').digest('hex'),
    latencyMs: r.latency_ms,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    metrics,
    votes,
    ...(includeText ? { prompt: r.prompt, response: r.text } : {}),
  }
}

/**
 * The run's records in run item order, a page at a time, giving the event loop a turn between
 * pages. Nothing beyond one page is held.
 */
export async function* instanceRecords(
  db: Db,
  runId: number,
  options: InstanceExportOptions = {},
): AsyncGenerator<InstanceRecord> {
  const includeText = options.includeText === true
  const pageSize = options.pageSize ?? 500
  const stmt = db.prepare(pageSql(includeText))
  let after = 0
  for (;;) {
    let n = 0
    const page: InstanceRecord[] = []
    for (const row of stmt.iterate(runId, after, pageSize) as IterableIterator<PageRow>) {
      page.push(toRecord(runId, row, includeText))
      after = row.id
      n++
    }
    yield* page
    if (n < pageSize) return
    await nextTurn()
  }
}
