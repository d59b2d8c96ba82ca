import type { Leaderboard, LeaderboardCell, LeaderboardRow } from '../../shared/api/leaderboard'
import { csvRow } from '../csv/cell'
import type { ExportMeta } from './meta'

/**
 * A leaderboard as analysts take it away: the JSON is the very object `leaderboard --json` prints
 * and the screen shows, under `leaderboard`, with a `meta` block; the CSV is its long form — one
 * row per model × benchmark column (the cell), per model × category and per model overall — each
 * row repeating the model's rank, rank interval, tie group, mean win rate and macro-average so a
 * spreadsheet filter on `scope` gives a complete table.
 */

export const LEADERBOARD_FORMAT = 'wardeval-leaderboard'

export function leaderboardJson(lb: Leaderboard, meta: ExportMeta): string {
  return JSON.stringify({ format: LEADERBOARD_FORMAT, formatVersion: 1, meta, leaderboard: lb }, null, 2)
}

/** The CSV header, documented in docs/architecture.md ("Exports"). */
export const LEADERBOARD_CSV_HEADER = [
  'scope', // overall | category | benchmark
  'scope_id', // category id or benchmark id ('' overall)
  'scope_name',
  'category_id', // the benchmark's category (benchmark rows)
  'model',
  'metric', // benchmark: its main metric; category/overall: macro_average
  'value', // benchmark: mean of the metric (jury 1–5); category/overall: macro-average on 0–1
  'normalized', // value on 0–1
  'ci_low',
  'ci_high',
  'n', // instances the value is over (benchmark) or benchmarks with a score (category/overall)
  'scored',
  'total',
  'unscored',
  'failed',
  'missing',
  'instance_set_hash',
  'run_id',
  'benchmark_version',
  'calibrated_value',
  'win_rate', // benchmark: ''; category: the category's mean win rate; overall: mean win rate
  'rank',
  'rank_low',
  'rank_high',
  'tie_group',
  'mean_win_rate',
  'mean_win_rate_ci_low',
  'mean_win_rate_ci_high',
  'macro_average',
  'macro_average_sd',
  'macro_average_ci_low',
  'macro_average_ci_high',
  'runtime_ms',
  'model_cost_usd',
  'jury_cost_usd',
  'view', // paired | unpaired
  'seed',
] as const

type Cell = string | number | boolean | null | undefined

function modelPart(r: LeaderboardRow): Cell[] {
  return [
    r.rank,
    r.rankInterval.lo,
    r.rankInterval.hi,
    r.tieGroup,
    r.winRate,
    r.winRateCi?.lo,
    r.winRateCi?.hi,
    r.macro.mean,
    r.macro.sd,
    r.macroCi?.lo,
    r.macroCi?.hi,
  ]
}

function cellRow(lb: Leaderboard, c: LeaderboardCell, r: LeaderboardRow): Cell[] {
  const col = lb.columns.find((x) => x.key === c.columnKey)!
  return [
    'benchmark',
    col.benchmarkId,
    col.benchmarkName,
    col.categoryId,
    c.modelKey,
    col.metric,
    c.value,
    c.normalized,
    c.ci?.lo,
    c.ci?.hi,
    c.n,
    c.counts.scored,
    c.counts.total,
    c.counts.unscored,
    c.counts.failed,
    c.counts.missing,
    c.instanceSetHash,
    c.runId,
    c.benchmarkVersion,
    c.calibrated?.value,
    null,
    ...modelPart(r),
    c.runtimeMs,
    c.cost.model.usd,
    c.cost.jury.usd,
  ]
}

function groupRow(
  scope: 'category' | 'overall',
  r: LeaderboardRow,
  g: LeaderboardRow['categories'][number] | null,
): Cell[] {
  const macro = g ? g.macro : r.macro
  const ci = g ? g.macroCi : r.macroCi
  return [
    scope,
    g?.id ?? '',
    g?.name ?? 'All benchmarks',
    g?.id ?? null,
    r.modelKey,
    'macro_average',
    macro.mean,
    macro.mean,
    ci?.lo,
    ci?.hi,
    macro.n,
    ...Array<Cell>(9).fill(null),
    g ? g.winRate : r.winRate,
    ...modelPart(r),
    r.runtime.meanMs,
    r.cost.model.usd,
    r.cost.jury.usd,
  ]
}

/** The CSV lines (header first), every cell through csv/cell.ts. */
export function* leaderboardCsvLines(lb: Leaderboard): Generator<string> {
  yield csvRow(LEADERBOARD_CSV_HEADER)
  const tail = [lb.statistics.view, lb.statistics.seed]
  for (const r of lb.rows) {
    yield csvRow([...groupRow('overall', r, null), ...tail])
    for (const g of r.categories) yield csvRow([...groupRow('category', r, g), ...tail])
    for (const c of lb.cells.filter((x) => x.modelKey === r.modelKey))
      yield csvRow([...cellRow(lb, c, r), ...tail])
  }
}
