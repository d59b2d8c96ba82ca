import type {
  BenchmarkAgreement,
  BenchmarkModelScores,
  InstanceScores,
  MetricSummary,
  RunScoringReport,
} from '../../../shared/api/jury'
import type { MetricName } from '../../../shared/benchmarks/pack'
import type { Db } from '../../db/open'
import { AppError } from '../../errors'
import { loadBenchmarkVersion, type RunBenchmark } from '../../runs/store'
import { normalizeJuryScore, type UnscoredReason } from '../aggregate'
import { juryAgreement } from '../agreement'

/**
 * What the scoring pass left in the database, read back for the CLI, the API and the renderer:
 * per benchmark × model each metric's results and unscored counts, per benchmark the judges'
 * agreement, and per run item every judge × criterion vote next to the metric scores.
 */

export function runBenchmarks(db: Db, runId: number): RunBenchmark[] {
  if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId))
    throw new AppError('not_found', `run: there is no run ${runId} in this database (see \`runs\`)`)
  const ids = db
    .prepare(
      'SELECT benchmark_version_id AS id FROM run_benchmarks WHERE run_id = ? ORDER BY benchmark_version_id',
    )
    .all(runId) as { id: number }[]
  return ids.map((r) => loadBenchmarkVersion(db, r.id))
}

/** The manifest's metric names, main first, each once. */
export function manifestMetrics(b: RunBenchmark): { name: MetricName; main: boolean }[] {
  const main = (b.manifest.metrics.find((m) => m.main) ?? b.manifest.metrics[0])?.name
  const names = [...new Set(b.manifest.metrics.map((m) => m.name))]
  names.sort((a, c) => Number(c === main) - Number(a === main))
  return names.map((name) => ({ name, main: name === main }))
}

const REASONS: UnscoredReason[] = ['no_votes', 'all_votes_failed', 'empty_response', 'all_judges_same_family']

export function runScoringReport(db: Db, runId: number): RunScoringReport {
  const benchmarks = runBenchmarks(db, runId)
  const counts = db
    .prepare(
      `SELECT i.benchmark_version_id AS v, ri.model_key AS model, COUNT(*) AS total,
              SUM(CASE WHEN ri.status = 'done' THEN 1 ELSE 0 END) AS done
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? GROUP BY i.benchmark_version_id, ri.model_key ORDER BY ri.model_key`,
    )
    .all(runId) as { v: number; model: string; total: number; done: number }[]
  const grouped = db
    .prepare(
      `SELECT i.benchmark_version_id AS v, ri.model_key AS model, s.metric, s.status, COUNT(*) AS n, AVG(s.value) AS mean
       FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.status = 'done'
       GROUP BY i.benchmark_version_id, ri.model_key, s.metric, s.status`,
    )
    .all(runId) as {
    v: number
    model: string
    metric: string
    status: 'ok' | 'failed' | 'unscored'
    n: number
    mean: number | null
  }[]
  const reasons = db
    .prepare(
      `SELECT i.benchmark_version_id AS v, ri.model_key AS model, json_extract(s.details_json, '$.reason') AS reason, COUNT(*) AS n
       FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.status = 'done' AND s.metric = 'jury' AND s.status = 'unscored'
       GROUP BY i.benchmark_version_id, ri.model_key, reason`,
    )
    .all(runId) as { v: number; model: string; reason: string | null; n: number }[]

  const rows: BenchmarkModelScores[] = []
  for (const b of benchmarks) {
    for (const c of counts.filter((x) => x.v === b.versionId)) {
      const metrics: MetricSummary[] = manifestMetrics(b).map(({ name, main }) => {
        const mine = grouped.filter((g) => g.v === b.versionId && g.model === c.model && g.metric === name)
        const n = (status: string) => mine.find((g) => g.status === status)?.n ?? 0
        const mean = mine.find((g) => g.status === 'ok')?.mean ?? null
        const isJury = name === 'jury'
        let unscoredBy: MetricSummary['unscoredBy'] = null
        if (isJury) {
          unscoredBy = { no_votes: 0, all_votes_failed: 0, empty_response: 0, all_judges_same_family: 0 }
          for (const r of reasons)
            if (r.v === b.versionId && r.model === c.model && REASONS.includes(r.reason as UnscoredReason))
              unscoredBy[r.reason as UnscoredReason] += r.n
        }
        return {
          metric: name,
          main,
          ok: n('ok'),
          failed: n('failed'),
          unscored: n('unscored'),
          missing: Math.max(0, c.done - n('ok') - n('failed') - n('unscored')),
          mean,
          normalized: isJury && mean !== null ? normalizeJuryScore(mean) : null,
          unscoredBy,
        }
      })
      rows.push({
        benchmarkId: b.benchmarkId,
        benchmarkName: b.name,
        modelKey: c.model,
        items: c.done,
        metrics,
      })
    }
  }
  return { runId, rows, agreement: runAgreement(db, runId, benchmarks) }
}

export function runAgreement(
  db: Db,
  runId: number,
  benchmarks = runBenchmarks(db, runId),
): BenchmarkAgreement[] {
  const votesOf = db.prepare(
    `SELECT jv.run_item_id AS item, jv.judge_key AS judge, jv.criterion, jv.status, jv.score
     FROM jury_votes jv JOIN run_items ri ON ri.id = jv.run_item_id JOIN instances i ON i.id = ri.instance_id
     WHERE ri.run_id = ? AND i.benchmark_version_id = ? ORDER BY jv.id`,
  )
  const juryRows = db.prepare(
    `SELECT s.status, COUNT(*) AS n FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
     WHERE ri.run_id = ? AND i.benchmark_version_id = ? AND s.metric = 'jury' GROUP BY s.status`,
  )
  return benchmarks
    .filter((b) => b.manifest.metrics.some((m) => m.name === 'jury'))
    .map((b) => {
      const votes = votesOf.all(runId, b.versionId) as {
        item: number
        judge: string
        criterion: string
        status: 'valid' | 'failed'
        score: number | null
      }[]
      const status = juryRows.all(runId, b.versionId) as { status: string; n: number }[]
      return {
        benchmarkId: b.benchmarkId,
        benchmarkName: b.name,
        unscored: status.find((s) => s.status === 'unscored')?.n ?? 0,
        scored: status.find((s) => s.status === 'ok')?.n ?? 0,
        agreement: juryAgreement(votes),
      }
    })
}

export function instanceScores(db: Db, runItemId: number): InstanceScores {
  const item = db
    .prepare(
      `SELECT ri.id, ri.run_id, ri.model_key, ri.status, i.ext_id, i.benchmark_version_id
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.id = ?`,
    )
    .get(runItemId) as
    | {
        id: number
        run_id: number
        model_key: string
        status: 'pending' | 'done' | 'failed'
        ext_id: string
        benchmark_version_id: number
      }
    | undefined
  if (!item) throw new AppError('not_found', `run item: there is no run item ${runItemId}`)
  const b = loadBenchmarkVersion(db, item.benchmark_version_id)
  const votes = (
    db
      .prepare(
        `SELECT judge_key, judge_digest, criterion, score, explanation, status, raw_text, attempts, created_at
         FROM jury_votes WHERE run_item_id = ? ORDER BY judge_key, id`,
      )
      .all(runItemId) as {
      judge_key: string
      judge_digest: string | null
      criterion: string
      score: number | null
      explanation: string | null
      status: 'valid' | 'failed'
      raw_text: string | null
      attempts: number
      created_at: string
    }[]
  ).map((v) => ({
    judge: v.judge_key,
    judgeDigest: v.judge_digest,
    criterion: v.criterion,
    score: v.score,
    explanation: v.explanation,
    status: v.status,
    rawText: v.raw_text,
    attempts: v.attempts,
    createdAt: v.created_at,
  }))
  const metrics = (
    db
      .prepare('SELECT metric, value, status, details_json FROM scores WHERE run_item_id = ? ORDER BY id')
      .all(runItemId) as {
      metric: string
      value: number | null
      status: 'ok' | 'failed' | 'unscored'
      details_json: string
    }[]
  ).map((s) => ({
    metric: s.metric,
    value: s.value,
    status: s.status,
    details: JSON.parse(s.details_json) as Record<string, unknown>,
  }))

  const hasJury = b.manifest.metrics.some((m) => m.name === 'jury')
  const juryRow = metrics.find((m) => m.metric === 'jury')
  const num = (x: unknown) => (typeof x === 'number' ? x : 0)
  const jury: InstanceScores['jury'] = !hasJury
    ? { state: 'no_jury', mean: null, normalized: null, validVotes: 0, failedVotes: 0, reason: null }
    : !juryRow
      ? { state: 'not_scored_yet', mean: null, normalized: null, validVotes: 0, failedVotes: 0, reason: null }
      : {
          state: juryRow.status === 'ok' ? 'scored' : 'unscored',
          mean: juryRow.value,
          normalized: juryRow.value === null ? null : normalizeJuryScore(juryRow.value),
          validVotes: num(juryRow.details.validVotes),
          failedVotes: num(juryRow.details.failedVotes),
          reason: typeof juryRow.details.reason === 'string' ? juryRow.details.reason : null,
        }
  return {
    runItemId: item.id,
    runId: item.run_id,
    benchmarkId: b.benchmarkId,
    instanceId: item.ext_id,
    modelKey: item.model_key,
    itemStatus: item.status,
    criteria: (b.manifest.jury?.criteria ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      description: c.description,
    })),
    judges: [...new Set(votes.map((v) => v.judge))].sort(),
    votes,
    metrics,
    jury,
  }
}
