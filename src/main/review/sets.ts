import {
  ReviewCriterion as ReviewCriterionSchema,
  type CreateReviewSetParsed,
  type ReviewCandidate,
  type ReviewCriterion,
  type ReviewSetSummary,
} from '../../shared/api/review'
import { z } from 'zod'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { loadBenchmarkVersion, type RunBenchmark } from '../runs/store'
import { stratifiedSample, type Candidate } from './sample'

/**
 * Review sets: creating one from a run and one of its open-ended benchmarks (a seeded sample
 * stratified across the run's models), listing them with each reviewer's progress, and reading a
 * set's items and criteria.
 */

export interface ReviewSet {
  id: number
  runId: number
  versionId: number
  seed: number
  criteria: ReviewCriterion[]
  /** Reviewers see the gold (reference) answer next to the output. */
  showGold: boolean
  createdAt: string
}

const CriteriaJson = z.array(ReviewCriterionSchema).min(1)

export function loadReviewSet(db: Db, setId: number): ReviewSet {
  const row = db
    .prepare(
      'SELECT id, run_id, benchmark_version_id, seed, criteria_json, show_gold, created_at FROM review_sets WHERE id = ?',
    )
    .get(setId) as
    | {
        id: number
        run_id: number
        benchmark_version_id: number
        seed: number
        criteria_json: string
        show_gold: number
        created_at: string
      }
    | undefined
  if (!row)
    throw new AppError('not_found', `review set: there is no review set ${setId} (see \`review sets\`)`)
  const criteria = CriteriaJson.safeParse(JSON.parse(row.criteria_json))
  if (!criteria.success)
    throw new AppError('bad_data', `review set ${setId}: its stored criteria are invalid (criteria_json)`)
  return {
    id: row.id,
    runId: row.run_id,
    versionId: row.benchmark_version_id,
    seed: row.seed,
    criteria: criteria.data,
    showGold: row.show_gold === 1,
    createdAt: row.created_at,
  }
}

/** The set's items in their canonical order (model, instance). */
export function reviewSetItems(db: Db, setId: number): Candidate[] {
  return db
    .prepare(
      `SELECT si.run_item_id AS runItemId, ri.model_key AS modelKey
       FROM review_set_items si JOIN run_items ri ON ri.id = si.run_item_id
       WHERE si.set_id = ? ORDER BY si.ordinal`,
    )
    .all(setId) as Candidate[]
}

/** Completed outputs of a benchmark in a run (run id, version id) with a non-empty response. */
const ELIGIBLE = `FROM run_items ri
  JOIN instances i ON i.id = ri.instance_id
  JOIN responses r ON r.id = ri.response_id
  WHERE ri.run_id = ? AND i.benchmark_version_id = ? AND ri.status = 'done' AND length(trim(r.text)) > 0`

/** What a set can hold, by model then instance. */
export function eligibleOutputs(db: Db, runId: number, versionId: number): Candidate[] {
  return db
    .prepare(
      `SELECT ri.id AS runItemId, ri.model_key AS modelKey ${ELIGIBLE} ORDER BY ri.model_key, i.ordinal`,
    )
    .all(runId, versionId) as Candidate[]
}

/** Why a benchmark cannot be reviewed (not open-ended, no jury criteria), or null. */
function unreviewable(b: RunBenchmark): string | null {
  if (b.manifest.taskType !== 'open_ended')
    return `benchmark ${b.benchmarkId} is ${b.manifest.taskType.replace('_', '-')}, not open-ended; clinician review is for open-ended benchmarks`
  if (!b.manifest.jury)
    return `benchmark ${b.benchmarkId} has no jury criteria in its manifest (jury.criteria), so there is nothing to rate`
  return null
}

function runBenchmarkVersions(db: Db, runId: number): RunBenchmark[] {
  const rows = db
    .prepare(
      'SELECT benchmark_version_id AS v FROM run_benchmarks WHERE run_id = ? ORDER BY benchmark_version_id',
    )
    .all(runId) as { v: number }[]
  return rows.map((r) => loadBenchmarkVersion(db, r.v))
}

export function createReviewSet(db: Db, input: CreateReviewSetParsed): number {
  const run = db.prepare('SELECT id FROM runs WHERE id = ?').get(input.runId)
  if (!run)
    throw new AppError('not_found', `run: there is no run ${input.runId} in this database (see \`runs\`)`)
  const benchmarks = runBenchmarkVersions(db, input.runId)
  const b = benchmarks.find((x) => x.benchmarkId === input.benchmarkId)
  if (!b)
    throw new AppError(
      'not_found',
      `benchmark: run ${input.runId} has no benchmark "${input.benchmarkId}" (it has ${benchmarks.map((x) => x.benchmarkId).join(', ') || 'none'})`,
    )
  const why = unreviewable(b)
  if (why) throw new AppError('invalid_input', why)
  const candidates = eligibleOutputs(db, input.runId, b.versionId)
  if (candidates.length === 0)
    throw new AppError(
      'invalid_input',
      `run ${input.runId} has no completed, non-empty output on ${b.benchmarkId} to review yet`,
    )
  if (input.size > candidates.length)
    throw new AppError(
      'invalid_input',
      `size: ${input.size} exceeds the ${candidates.length} completed, non-empty outputs of run ${input.runId} on ${b.benchmarkId}; choose at most ${candidates.length}`,
    )
  const picked = stratifiedSample(candidates, input.size, input.seed, b.benchmarkId)
  const criteria = (b.manifest.jury?.criteria ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
  }))
  return db
    .transaction(() => {
      const setId = Number(
        db
          .prepare(
            'INSERT INTO review_sets (run_id, benchmark_version_id, size, seed, criteria_json, show_gold, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            input.runId,
            b.versionId,
            picked.length,
            input.seed,
            JSON.stringify(criteria),
            input.showGold ? 1 : 0,
            new Date().toISOString(),
          ).lastInsertRowid,
      )
      const insert = db.prepare(
        'INSERT INTO review_set_items (set_id, run_item_id, ordinal) VALUES (?, ?, ?)',
      )
      picked.forEach((c, i) => insert.run(setId, c.runItemId, i))
      return setId
    })
    .immediate()
}

/** Per reviewer who rated anything in the set: items rated on every criterion. */
export function reviewerProgress(db: Db, set: ReviewSet): ReviewSetSummary['progress'] {
  const criteria = set.criteria.map((c) => c.id)
  const rows = db
    .prepare(
      `SELECT rv.id AS reviewerId, rv.name AS reviewer, r.run_item_id AS item, r.criterion
       FROM ratings r JOIN review_set_items si ON si.run_item_id = r.run_item_id AND si.set_id = ?
       JOIN reviewers rv ON rv.id = r.reviewer_id
       ORDER BY rv.name COLLATE NOCASE, rv.id`,
    )
    .all(set.id) as { reviewerId: number; reviewer: string; item: number; criterion: string }[]
  const byReviewer = new Map<number, { reviewer: string; items: Map<number, Set<string>> }>()
  for (const r of rows) {
    let e = byReviewer.get(r.reviewerId)
    if (!e) byReviewer.set(r.reviewerId, (e = { reviewer: r.reviewer, items: new Map() }))
    const s = e.items.get(r.item) ?? new Set<string>()
    s.add(r.criterion)
    e.items.set(r.item, s)
  }
  return [...byReviewer].map(([reviewerId, e]) => ({
    reviewerId,
    reviewer: e.reviewer,
    rated: [...e.items.values()].filter((s) => criteria.every((c) => s.has(c))).length,
  }))
}

export function reviewSetSummary(db: Db, setId: number): ReviewSetSummary {
  const set = loadReviewSet(db, setId)
  const b = loadBenchmarkVersion(db, set.versionId)
  const run = db.prepare('SELECT name FROM runs WHERE id = ?').get(set.runId) as { name: string }
  const items = reviewSetItems(db, setId)
  return {
    id: set.id,
    runId: set.runId,
    runName: run.name,
    benchmarkId: b.benchmarkId,
    benchmarkName: b.name,
    benchmarkVersion: b.version,
    size: items.length,
    seed: set.seed,
    models: new Set(items.map((i) => i.modelKey)).size,
    criteria: set.criteria,
    showGold: set.showGold,
    createdAt: set.createdAt,
    progress: reviewerProgress(db, set),
  }
}

export function listReviewSets(db: Db): ReviewSetSummary[] {
  const ids = db.prepare('SELECT id FROM review_sets ORDER BY id DESC').all() as { id: number }[]
  return ids.map((r) => reviewSetSummary(db, r.id))
}

/** Runs with at least one reviewable benchmark, newest first. */
export function reviewCandidates(db: Db): ReviewCandidate[] {
  const runs = db.prepare('SELECT id, name, status FROM runs ORDER BY id DESC').all() as {
    id: number
    name: string
    status: string
  }[]
  const eligibleCounts = db.prepare(`SELECT ri.model_key, COUNT(*) AS n ${ELIGIBLE} GROUP BY ri.model_key`)
  const out: ReviewCandidate[] = []
  for (const run of runs) {
    const benchmarks = runBenchmarkVersions(db, run.id)
      .filter((b) => unreviewable(b) === null)
      .map((b) => {
        const perModel = eligibleCounts.all(run.id, b.versionId) as { n: number }[]
        return {
          benchmarkId: b.benchmarkId,
          benchmarkName: b.name,
          models: perModel.length,
          eligibleItems: perModel.reduce((a, r) => a + r.n, 0),
        }
      })
    if (benchmarks.length > 0)
      out.push({ runId: run.id, runName: run.name, runStatus: run.status, benchmarks })
  }
  return out
}
