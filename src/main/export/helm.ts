import type { Leaderboard, LeaderboardCell, LeaderboardColumn } from '../../shared/api/leaderboard'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { instanceSetHash } from '../analysis/score-matrix'
import { helmStat, takeMean, type HelmStat } from './helm-stats'
import type { ExportMeta } from './meta'

/**
 * A HELM-shaped export of a leaderboard, to set local results beside the public MedHELM
 * leaderboard: per model, per benchmark (HELM's run spec, named `<benchmark>:model=<model>`) a
 * `run_spec` like HELM's run_spec.json and a `stats` list like its stats.json (run-level: each
 * stat the mean over instances, count 1, as HELM's single-trial runs write it; the instance-level
 * stats with their counts and spread are kept in `wardeval.instance_stats`) — every metric of
 * the benchmark, `num_instances`, `inference_runtime`, `num_prompt_tokens`,
 * `num_completion_tokens` — over exactly the instances the leaderboard cell is over (the common
 * instances in the paired view, the model's own unpaired), so the main metric's mean is the
 * cell's value and `stats leaderboard` reads the file back to the same win rates.
 */

export const HELM_FORMAT = 'wardeval-helm-stats'

export interface HelmRunSpec {
  name: string
  scenario_spec: { class_name: string; args: Record<string, unknown> }
  adapter_spec: { model: string; model_deployment: string }
  metric_specs: { class_name: string; args: { names: string[] } }[]
  groups: string[]
}

export interface HelmRunEntry {
  run_spec: HelmRunSpec
  /** As HELM's stats.json: run-level stats, the mean over instances taken as one value (count 1). */
  stats: HelmStat[]
  wardeval: {
    /** The same stats over the instances (count = instances with the stat), for n and spread. */
    instance_stats: HelmStat[]
    run_id: number
    benchmark_id: string
    benchmark_name: string
    benchmark_version: string
    content_hash: string
    category_id: string | null
    main_metric: string
    scale: '0-1' | '1-5'
    view: 'paired' | 'unpaired'
    instance_set_hash: string | null
  }
}

export interface HelmModel {
  model: string
  digest: string | null
  run_specs: HelmRunEntry[]
}

export interface HelmExport {
  format: typeof HELM_FORMAT
  formatVersion: 1
  meta: ExportMeta
  models: HelmModel[]
}

export const runSpecName = (benchmarkId: string, modelKey: string) => `${benchmarkId}:model=${modelKey}`

interface Version {
  id: number
  contentHash: string
}

function versionOf(db: Db, benchmarkId: string, version: string): Version {
  const v = db
    .prepare(
      'SELECT id, content_hash AS contentHash FROM benchmark_versions WHERE benchmark_id = ? AND version = ?',
    )
    .get(benchmarkId, version) as Version | undefined
  if (!v)
    throw new AppError(
      'conflict',
      `export helm: benchmark ${benchmarkId} version ${version} is gone; export again`,
    )
  return v
}

interface ItemRow {
  extId: string
  metric: string | null
  value: number | null
  latency: number | null
  promptTokens: number | null
  completionTokens: number | null
}

/** Per instance of the cell: its ok scores by metric and its response's runtime and tokens. */
function cellItems(db: Db, c: LeaderboardCell, versionId: number) {
  const rows = db
    .prepare(
      `SELECT i.ext_id AS extId, s.metric, s.value, r.latency_ms AS latency, r.prompt_tokens AS promptTokens,
              r.completion_tokens AS completionTokens
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id
            LEFT JOIN scores s ON s.run_item_id = ri.id AND s.status = 'ok'
            LEFT JOIN responses r ON r.id = ri.response_id
       WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ?`,
    )
    .all(c.runId, c.modelKey, versionId) as ItemRow[]
  const items = new Map<string, { scores: Map<string, number>; row: ItemRow }>()
  for (const r of rows) {
    let it = items.get(r.extId)
    if (!it) items.set(r.extId, (it = { scores: new Map(), row: r }))
    if (r.metric !== null && r.value !== null) it.scores.set(r.metric, r.value)
  }
  return items
}

type Items = ReturnType<typeof cellItems>

/** The instance ids each cell of a column is over, as the leaderboard paired them (sorted). */
function instanceSets(
  column: LeaderboardColumn,
  cells: { cell: LeaderboardCell; items: Items }[],
  paired: boolean,
) {
  const own = cells.map(({ items }) =>
    [...items.entries()]
      .filter(([, it]) => it.scores.has(column.metric))
      .map(([id]) => id)
      .sort(),
  )
  if (!paired) return own
  const present = own.filter((ids) => ids.length > 0)
  let common = present[0] ?? []
  for (const ids of present.slice(1)) {
    const has = new Set(ids)
    common = common.filter((id) => has.has(id))
  }
  return own.map((ids) => (ids.length > 0 ? common : []))
}

function cellStats(ids: readonly string[], items: Items, metrics: readonly string[]): HelmStat[] {
  const its = ids.map((id) => items.get(id)!)
  const stats = metrics.map((m) =>
    helmStat(
      m,
      its.flatMap((it) => (it.scores.has(m) ? [it.scores.get(m)!] : [])),
    ),
  )
  const num = (f: (r: ItemRow) => number | null) =>
    its.flatMap((it) => (f(it.row) === null ? [] : [f(it.row)!]))
  stats.push(
    helmStat('num_instances', [ids.length]),
    helmStat(
      'inference_runtime',
      num((r) => (r.latency === null ? null : r.latency / 1000)),
    ),
    helmStat(
      'num_prompt_tokens',
      num((r) => r.promptTokens),
    ),
    helmStat(
      'num_completion_tokens',
      num((r) => r.completionTokens),
    ),
  )
  return stats.filter((s): s is HelmStat => s !== null)
}

function metricNames(db: Db, c: LeaderboardCell, versionId: number, main: string): string[] {
  const names = db
    .prepare(
      `SELECT DISTINCT s.metric FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ? ORDER BY s.metric`,
    )
    .pluck()
    .all(c.runId, c.modelKey, versionId) as string[]
  return [main, ...names.filter((n) => n !== main)]
}

function entriesOfColumn(db: Db, lb: Leaderboard, column: LeaderboardColumn): [string, HelmRunEntry][] {
  const paired = lb.statistics.view === 'paired'
  const cells = lb.cells
    .filter((c) => c.columnKey === column.key)
    .map((cell) => {
      const version = versionOf(db, column.benchmarkId, cell.benchmarkVersion)
      return { cell, version, items: cellItems(db, cell, version.id) }
    })
  const sets = instanceSets(column, cells, paired)
  return cells.map(({ cell, version, items }, i): [string, HelmRunEntry] => {
    const ids = sets[i]!
    const hash = instanceSetHash(ids)
    if (hash !== cell.instanceSetHash)
      throw new AppError(
        'conflict',
        `export helm: the results of ${column.benchmarkId} changed while exporting; export again`,
      )
    const metrics = metricNames(db, cell, version.id, column.metric)
    const instanceStats = cellStats(ids, items, metrics)
    return [
      cell.modelKey,
      {
        run_spec: {
          name: runSpecName(column.benchmarkId, cell.modelKey),
          scenario_spec: {
            class_name: `wardeval.benchmarks.${column.benchmarkId}`,
            args: { benchmark_version: cell.benchmarkVersion, content_hash: version.contentHash },
          },
          adapter_spec: { model: cell.modelKey, model_deployment: cell.modelKey },
          metric_specs: [{ class_name: 'wardeval.metrics', args: { names: metrics } }],
          groups: [column.benchmarkId],
        },
        stats: instanceStats.map(takeMean),
        wardeval: {
          instance_stats: instanceStats,
          run_id: cell.runId,
          benchmark_id: column.benchmarkId,
          benchmark_name: column.benchmarkName,
          benchmark_version: cell.benchmarkVersion,
          content_hash: version.contentHash,
          category_id: column.categoryId,
          main_metric: column.metric,
          scale: column.scale,
          view: lb.statistics.view,
          instance_set_hash: hash,
        },
      },
    ]
  })
}

/** The HELM-shaped document of a computed leaderboard. */
export function helmExport(db: Db, lb: Leaderboard, meta: ExportMeta): HelmExport {
  const byModel = new Map<string, HelmRunEntry[]>()
  for (const column of lb.columns)
    for (const [model, entry] of entriesOfColumn(db, lb, column)) {
      const list = byModel.get(model) ?? []
      list.push(entry)
      byModel.set(model, list)
    }
  const digest = db.prepare('SELECT model_digest FROM run_models WHERE run_id = ? AND model_key = ?').pluck()
  const models = [...byModel.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([model, runSpecs]) => ({
      model,
      digest: (digest.get(runSpecs[0]!.wardeval.run_id, model) as string | null | undefined) ?? null,
      run_specs: runSpecs,
    }))
  return { format: HELM_FORMAT, formatVersion: 1, meta, models }
}
