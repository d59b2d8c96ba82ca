import type { Db } from '../db/open'

/**
 * The SQLite side of the leaderboard: what runs, run items, scores, responses, requests and jury
 * votes hold, grouped per (run, model key, benchmark version) — a "triple". `runIds` null: every
 * run in the database.
 */

export interface Triple {
  runId: number
  modelKey: string
  versionId: number
}

export const tripleKey = (t: Triple) => `${t.runId}|${t.versionId}|${t.modelKey}`

/** Restricts `ri.run_id` to a JSON array of ids, or lets every run through when it is NULL. */
const RUN_FILTER = '(@runs IS NULL OR ri.run_id IN (SELECT value FROM json_each(@runs)))'
const runParam = (runIds: readonly number[] | null) => ({
  runs: runIds === null ? null : JSON.stringify(runIds),
})

export interface ItemCountRow extends Triple {
  total: number
  done: number
  failed: number
}

export function itemCounts(db: Db, runIds: readonly number[] | null): ItemCountRow[] {
  return db
    .prepare(
      `SELECT ri.run_id AS runId, ri.model_key AS modelKey, i.benchmark_version_id AS versionId,
              COUNT(*) AS total,
              SUM(CASE WHEN ri.status = 'done' THEN 1 ELSE 0 END) AS done,
              SUM(CASE WHEN ri.status = 'failed' THEN 1 ELSE 0 END) AS failed
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id
       WHERE ${RUN_FILTER}
       GROUP BY ri.run_id, ri.model_key, i.benchmark_version_id
       ORDER BY ri.run_id, ri.model_key, i.benchmark_version_id`,
    )
    .all(runParam(runIds)) as ItemCountRow[]
}

export interface ScoreGroupRow extends Triple {
  metric: string
  status: 'ok' | 'failed' | 'unscored'
  n: number
  /** Mean of the values (only 'ok' rows have one). */
  mean: number | null
}

export function scoreGroups(db: Db, runIds: readonly number[] | null): ScoreGroupRow[] {
  return db
    .prepare(
      `SELECT ri.run_id AS runId, ri.model_key AS modelKey, i.benchmark_version_id AS versionId,
              s.metric, s.status, COUNT(*) AS n, AVG(s.value) AS mean
       FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ${RUN_FILTER}
       GROUP BY ri.run_id, ri.model_key, i.benchmark_version_id, s.metric, s.status`,
    )
    .all(runParam(runIds)) as ScoreGroupRow[]
}

export interface InstanceScoreRow {
  extId: string
  value: number
}

/** The main metric's 'ok' scores of one triple, per instance (by the instance's id in its benchmark). */
export function instanceScores(db: Db, t: Triple, metric: string): InstanceScoreRow[] {
  return db
    .prepare(
      `SELECT i.ext_id AS extId, s.value FROM scores s JOIN run_items ri ON ri.id = s.run_item_id
              JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ? AND s.metric = ? AND s.status = 'ok'`,
    )
    .all(t.runId, t.modelKey, t.versionId, metric) as InstanceScoreRow[]
}

export interface ResponseStatsRow extends Triple {
  responses: number
  meanLatencyMs: number | null
  /** Sums over the responses that report both token counts. */
  inputTokens: number
  outputTokens: number
  missingTokens: number
}

/**
 * The answers the run items are scored on (run_items.response_id; an answer taken from the
 * response cache counts with the runtime and tokens it had when it was produced).
 */
export function responseStats(db: Db, runIds: readonly number[]): ResponseStatsRow[] {
  return db
    .prepare(
      `SELECT ri.run_id AS runId, ri.model_key AS modelKey, i.benchmark_version_id AS versionId,
              COUNT(r.id) AS responses, AVG(r.latency_ms) AS meanLatencyMs,
              COALESCE(SUM(CASE WHEN r.prompt_tokens IS NOT NULL AND r.completion_tokens IS NOT NULL THEN r.prompt_tokens END), 0) AS inputTokens,
              COALESCE(SUM(CASE WHEN r.prompt_tokens IS NOT NULL AND r.completion_tokens IS NOT NULL THEN r.completion_tokens END), 0) AS outputTokens,
              SUM(CASE WHEN r.prompt_tokens IS NULL OR r.completion_tokens IS NULL THEN 1 ELSE 0 END) AS missingTokens
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id JOIN responses r ON r.id = ri.response_id
       WHERE ri.status = 'done' AND ${RUN_FILTER}
       GROUP BY ri.run_id, ri.model_key, i.benchmark_version_id`,
    )
    .all(runParam(runIds)) as ResponseStatsRow[]
}

export interface JudgeUsageRow extends Triple {
  judgeKey: string
  responses: number
  inputTokens: number
  outputTokens: number
  /** Judge responses without token counts, plus verdicts of this judge with no judge response recorded. */
  missingTokens: number
}

/**
 * Judge requests (purpose 'judge') about the triples' run items, per judge model key
 * ('<endpoint>/<model>'), and the jury verdicts (run item × judge with votes) for which no judge
 * response is recorded at all: their tokens are unknown.
 */
export function judgeUsage(db: Db, runIds: readonly number[]): JudgeUsageRow[] {
  const param = runParam(runIds)
  const recorded = db
    .prepare(
      `SELECT ri.run_id AS runId, ri.model_key AS modelKey, i.benchmark_version_id AS versionId,
              COALESCE(e.name, 'endpoint-' || q.endpoint_id) || '/' || q.model_name AS judgeKey,
              COUNT(r.id) AS responses,
              COALESCE(SUM(CASE WHEN r.prompt_tokens IS NOT NULL AND r.completion_tokens IS NOT NULL THEN r.prompt_tokens END), 0) AS inputTokens,
              COALESCE(SUM(CASE WHEN r.prompt_tokens IS NOT NULL AND r.completion_tokens IS NOT NULL THEN r.completion_tokens END), 0) AS outputTokens,
              SUM(CASE WHEN r.prompt_tokens IS NULL OR r.completion_tokens IS NULL THEN 1 ELSE 0 END) AS missingTokens
       FROM requests q JOIN responses r ON r.request_id = q.id
            JOIN run_items ri ON ri.id = q.run_item_id JOIN instances i ON i.id = ri.instance_id
            LEFT JOIN endpoints e ON e.id = q.endpoint_id
       WHERE q.purpose = 'judge' AND ${RUN_FILTER}
       GROUP BY ri.run_id, ri.model_key, i.benchmark_version_id, judgeKey`,
    )
    .all(param) as JudgeUsageRow[]
  const unrecorded = db
    .prepare(
      `SELECT ri.run_id AS runId, ri.model_key AS modelKey, i.benchmark_version_id AS versionId,
              v.judge_key AS judgeKey, 0 AS responses, 0 AS inputTokens, 0 AS outputTokens, COUNT(*) AS missingTokens
       FROM (SELECT DISTINCT run_item_id, judge_key FROM jury_votes) v
            JOIN run_items ri ON ri.id = v.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ${RUN_FILTER}
         AND NOT EXISTS (
           SELECT 1 FROM requests q JOIN responses r ON r.request_id = q.id LEFT JOIN endpoints e ON e.id = q.endpoint_id
           WHERE q.run_item_id = v.run_item_id AND q.purpose = 'judge'
             AND COALESCE(e.name, 'endpoint-' || q.endpoint_id) || '/' || q.model_name = v.judge_key)
       GROUP BY ri.run_id, ri.model_key, i.benchmark_version_id, v.judge_key`,
    )
    .all(param) as JudgeUsageRow[]
  return [...recorded, ...unrecorded]
}

export interface BenchmarkPlacement {
  id: string
  categoryId: string | null
  subcategoryId: string | null
}

export function benchmarkPlacements(db: Db): Map<string, BenchmarkPlacement> {
  const rows = db
    .prepare('SELECT id, category_id AS categoryId, subcategory_id AS subcategoryId FROM benchmarks')
    .all() as BenchmarkPlacement[]
  return new Map(rows.map((r) => [r.id, r]))
}

export interface RunRef {
  id: number
  name: string
  status: string
  createdAt: string
}

export function runsById(db: Db, ids: readonly number[]): Map<number, RunRef> {
  const rows = db
    .prepare(
      `SELECT id, name, status, created_at AS createdAt FROM runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .all(JSON.stringify(ids)) as RunRef[]
  return new Map(rows.map((r) => [r.id, r]))
}

export interface RunListRow extends RunRef {
  models: string[]
  benchmarks: string[]
}

/** Runs that have scores, and the runs asked for, newest first, with their models and benchmarks. */
export function scoredRuns(db: Db, alsoIds: readonly number[] | null): RunListRow[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.name, r.status, r.created_at AS createdAt,
              (SELECT json_group_array(model_key) FROM (SELECT model_key FROM run_models WHERE run_id = r.id ORDER BY rowid)) AS models,
              (SELECT json_group_array(benchmark_id) FROM (SELECT v.benchmark_id FROM run_benchmarks rb
                 JOIN benchmark_versions v ON v.id = rb.benchmark_version_id WHERE rb.run_id = r.id ORDER BY v.benchmark_id)) AS benchmarks
       FROM runs r
       WHERE EXISTS (SELECT 1 FROM run_items ri JOIN scores s ON s.run_item_id = ri.id WHERE ri.run_id = r.id)
          OR r.id IN (SELECT value FROM json_each(@also))
       ORDER BY r.id DESC`,
    )
    .all({ also: JSON.stringify(alsoIds ?? []) }) as (RunRef & { models: string; benchmarks: string })[]
  return rows.map((r) => ({
    ...r,
    models: JSON.parse(r.models) as string[],
    benchmarks: JSON.parse(r.benchmarks) as string[],
  }))
}
