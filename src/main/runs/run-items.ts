import type { RunCounts, RunSettings } from '../../shared/api/runs'
import { canonicalJson } from '../benchmarks/normalize'
import type { Db } from '../db/open'
import type { JobSpec } from '../dispatch/types'
import { inlineMetrics, mainMetric, type InlineMetric, type ScoreRow } from './score-inline'
import { effectiveGeneration, type EffectiveGeneration } from './settings'
import { loadBenchmarkVersion, runCounts, type RunBenchmark } from './store'

/**
 * What a run's execution knows about its work: its benchmarks (prompt settings, inline metrics),
 * its pending items read page by page (never all at once), and the progress per benchmark ×
 * model with the running mean of the main metric.
 */

export interface BenchmarkState {
  run: RunBenchmark
  generation: EffectiveGeneration
  /** What requests.settings_json records (the same for every request of this benchmark). */
  generationJson: string
  metrics: InlineMetric[]
  main: string | null
}

export interface RunItem {
  instanceId: number
  versionId: number
  /** The instance's stored columns, read with the item's page (one query per page, not per item). */
  instance: InstanceColumns
  /** Built by the run's client when the page is read: the parsed instance, its prompt and cache key. */
  request?: ItemRequest
}

/** An item's request as built when its page was read (run-client.ts). */
export interface ItemRequest {
  instance: {
    input: string
    choices: string[] | null
    references: string[]
    metadata: Record<string, unknown>
  }
  prompt: string
  /** The cache key for the pool's first cacheable model (its prefix says which), or null. */
  keyPrefix: string | null
  key: string | null
}

export interface InstanceColumns {
  input: string
  choices_json: string | null
  references_json: string
  metadata_json: string
}

interface Group {
  benchmarkId: string
  modelKey: string
  total: number
  done: number
  failed: number
  mainMetric: string | null
  sum: number
  n: number
}

export function loadBenchmarks(db: Db, runId: number, settings: RunSettings): Map<number, BenchmarkState> {
  const out = new Map<number, BenchmarkState>()
  const versions = db
    .prepare('SELECT benchmark_version_id AS id FROM run_benchmarks WHERE run_id = ? ORDER BY rowid')
    .all(runId) as { id: number }[]
  for (const v of versions) {
    const run = loadBenchmarkVersion(db, v.id)
    const generation = effectiveGeneration(run.manifest.prompt, settings)
    out.set(v.id, {
      run,
      generation,
      generationJson: canonicalJson(generation),
      metrics: inlineMetrics(run.manifest),
      main: mainMetric(run.manifest),
    })
  }
  return out
}

/**
 * Pages of a pool's pending items with their instances' columns, in id order (uses the
 * run_items(run_id, model_key, status) index). Only a page ahead of the workers is held.
 */
export function pendingReader(
  db: Db,
  runId: number,
): (pool: string, afterId: number, limit: number) => JobSpec<RunItem>[] {
  const page = db.prepare(
    `SELECT ri.id, ri.attempts, ri.instance_id AS instanceId, i.benchmark_version_id AS versionId,
            i.input, i.choices_json, i.references_json, i.metadata_json
     FROM run_items ri JOIN instances i ON i.id = ri.instance_id
     WHERE ri.run_id = ? AND ri.model_key = ? AND ri.status = 'pending' AND ri.id > ? ORDER BY ri.id LIMIT ?`,
  )
  return (pool, afterId, limit) =>
    (
      page.all(runId, pool, afterId, limit) as ({
        id: number
        attempts: number
        instanceId: number
        versionId: number
      } & InstanceColumns)[]
    ).map((r) => ({
      id: r.id,
      attempts: r.attempts,
      payload: {
        instanceId: r.instanceId,
        versionId: r.versionId,
        instance: {
          input: r.input,
          choices_json: r.choices_json,
          references_json: r.references_json,
          metadata_json: r.metadata_json,
        },
      },
    }))
}

/** Counts of the run and of each benchmark × model, kept up to date as items finish. */
export class RunTally {
  counts: RunCounts
  finished = 0
  private readonly groups = new Map<string, Group>()

  constructor(db: Db, runId: number, benchmarks: Map<number, BenchmarkState>) {
    this.counts = runCounts(db, runId)
    const rows = db
      .prepare(
        `SELECT i.benchmark_version_id AS versionId, ri.model_key AS modelKey, COUNT(*) AS total,
                SUM(ri.status = 'done') AS done, SUM(ri.status = 'failed') AS failed
         FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.run_id = ? GROUP BY i.benchmark_version_id, ri.model_key`,
      )
      .all(runId) as { versionId: number; modelKey: string; total: number; done: number; failed: number }[]
    const sums = db.prepare(
      `SELECT SUM(s.value) AS sum, COUNT(s.value) AS n FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ? AND s.metric = ? AND s.status = 'ok'`,
    )
    for (const g of rows) {
      const b = benchmarks.get(g.versionId)
      const main = b?.main ?? null
      const s = main
        ? (sums.get(runId, g.modelKey, g.versionId, main) as { sum: number | null; n: number })
        : { sum: 0, n: 0 }
      this.groups.set(`${g.versionId}|${g.modelKey}`, {
        benchmarkId: b?.run.benchmarkId ?? String(g.versionId),
        modelKey: g.modelKey,
        total: g.total,
        done: g.done ?? 0,
        failed: g.failed ?? 0,
        mainMetric: main,
        sum: s.sum ?? 0,
        n: s.n,
      })
    }
  }

  done(item: RunItem, pool: string, main: string | null, scores: ScoreRow[], cached: boolean): void {
    const g = this.groups.get(`${item.versionId}|${pool}`)
    if (g) {
      g.done++
      const m = scores.find((s) => s.metric === main)
      if (m && m.status === 'ok' && m.value !== null) {
        g.sum += m.value
        g.n++
      }
    }
    this.counts.done++
    this.counts.pending--
    if (cached) this.counts.cached++
    this.finished++
  }

  failed(item: RunItem, pool: string): void {
    const g = this.groups.get(`${item.versionId}|${pool}`)
    if (g) g.failed++
    this.counts.failed++
    this.counts.pending--
    this.finished++
  }

  groupsNow() {
    return [...this.groups.values()].map((g) => ({
      benchmarkId: g.benchmarkId,
      modelKey: g.modelKey,
      total: g.total,
      done: g.done,
      failed: g.failed,
      mainMetric: g.mainMetric,
      mainMean: g.n > 0 ? g.sum / g.n : null,
    }))
  }
}
