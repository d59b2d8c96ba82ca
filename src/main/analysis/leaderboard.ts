import {
  cellLookup,
  type CellCounts,
  type CostAmount,
  type GroupScore,
  type Interval,
  type Leaderboard,
  type LeaderboardCell,
  type LeaderboardColumn,
  type LeaderboardQuery,
  type LeaderboardRow,
} from '../../shared/api/leaderboard'
import type { AppContext } from '../app/context'
import { loadResources, type Resources } from '../benchmarks/resources'
import { AppError } from '../errors'
import { manifestMetrics } from '../jury/run/report'
import { loadBenchmarkVersion, type RunBenchmark } from '../runs/store'
import type { Calibration } from '../../shared/api/calibration'
import { calibratedCell, calibrationNote, calibrationSummary, resolveCalibration } from './calibrated'
import { addCosts, NO_COST, usageCost, type Price } from './cost'
import {
  buildMatrix,
  cellIntervals,
  columnPairing,
  DEFAULT_SEED,
  pairingNotes,
  rowStatistics,
  statisticsInfo,
  type RowStatistics,
} from './leaderboard-stats'
import { meanAndSd, meanOf } from './macro-average'
import { pairwiseSteps } from './pairwise'
import { parallelCellMeans } from './bootstrap-parallel'
import { pairColumn, type PairedColumn, type ScoreMatrix } from './score-matrix'
import { bootstrapSteps, runSteps, runStepsAsync, type BootstrapResult } from './uncertainty'
import type { WorkerScripts } from '../app/worker-scripts'
import { DEFAULT_RESAMPLES } from '../stats/bootstrap'
import { leaderboardNotes } from './notes'
import { priceMap, listPrices } from './prices'
import {
  benchmarkPlacements,
  instanceScores,
  itemCounts,
  judgeUsage,
  responseStats,
  runsById,
  scoredRuns,
  scoreGroups,
  tripleKey,
  type JudgeUsageRow,
  type ScoreGroupRow,
} from './queries'
import { metricScale, rescaleColumn } from './rescale'
import { groupBy, scoresByTriple, selectCells, type Candidate } from './select-cells'
import { aggregateWinRates } from './win-rate'

/**
 * The cross-benchmark leaderboard, MedHELM's way: one cell per model × benchmark (the mean of the
 * main metric over instances scored 'ok', with its counts), HELM's mean win rate over the cells
 * (overall, per category and subcategory), macro-averages of the 0–1 scores with their SD, mean
 * runtime with its own win rate (lower is better), and cost from the actual tokens.
 */

/** The group of benchmarks that are not placed in the taxonomy. */
export const UNPLACED = 'unplaced'
const UNPLACED_NAME = 'Not placed in the taxonomy'

type Query = Pick<LeaderboardQuery, 'runIds' | 'categoryId' | 'unpaired' | 'adjust' | 'seed' | 'calibration'>
type Ctx = Pick<AppContext, 'db' | 'resourcesDir'>

/** The leaderboard in one go (tests; the bootstrap on this thread). */
export function computeLeaderboard(ctx: Ctx, query: Query): Leaderboard {
  const p = prepareLeaderboard(ctx, query)
  return runSteps(
    p.finish(runSteps(bootstrapSteps(p.matrix, { resamples: DEFAULT_RESAMPLES, seed: p.seed }))),
  )
}

/**
 * The leaderboard with the bootstrap's cell means on worker threads (when the context has the
 * worker script) and the rest in chunks that give the event loop a turn: the app stays responsive,
 * and `onProgress` hears the resamples done. Same numbers as `computeLeaderboard`.
 */
export async function computeLeaderboardAsync(
  ctx: Ctx & { workers?: WorkerScripts },
  query: Query,
  onProgress?: (done: number, total: number) => void,
): Promise<Leaderboard> {
  const p = prepareLeaderboard(ctx, query)
  const B = DEFAULT_RESAMPLES
  const script = ctx.workers?.bootstrap
  const cellMeans =
    script && p.matrix.columns.length > 1 && matrixSize(p.matrix) >= PARALLEL_MIN_VALUES
      ? await parallelCellMeans(p.matrix, { seed: p.seed, resamples: B, script }, (done, total) =>
          onProgress?.(Math.floor((0.8 * B * done) / total), B),
        )
      : undefined
  const boot = await runStepsAsync(
    bootstrapSteps(p.matrix, { resamples: B, seed: p.seed, ...(cellMeans ? { cellMeans } : {}) }),
    (done) => onProgress?.(done, B),
  )
  // The pairwise tests, a benchmark or category at a time, between turns of the event loop.
  return runStepsAsync(p.finish(boot))
}

/** Below this many scores, starting worker threads costs more than it saves. */
const PARALLEL_MIN_VALUES = 50_000
const matrixSize = (m: ScoreMatrix) =>
  m.columns.reduce((s, c) => s + c.values.reduce((t, v) => t + v.length, 0), 0)

interface Prepared {
  matrix: ScoreMatrix
  seed: number
  /** The leaderboard from the bootstrap over `matrix`. */
  finish: (boot: BootstrapResult) => Generator<number, Leaderboard>
}

/** What the query selects: the runs, the shown columns and the cells (candidates) behind them. */
interface Selection {
  runIds: number[] | null
  categoryId: string | null
  categories: Leaderboard['categories']
  columns: LeaderboardColumn[]
  used: Candidate[]
  scores: Map<string, ScoreGroupRow[]>
  version: (id: number) => RunBenchmark
}

function select(ctx: Ctx, query: Query): Selection {
  const db = ctx.db
  const res = loadResources(ctx.resourcesDir)
  const runIds = query.runIds ? [...new Set(query.runIds)].sort((a, b) => a - b) : null
  if (runIds) {
    const found = runsById(db, runIds)
    const missing = runIds.filter((id) => !found.has(id))
    if (missing.length)
      throw new AppError(
        'not_found',
        `leaderboard: there is no run ${missing.join(', ')} in this database (see \`runs\`)`,
      )
  }
  const versions = new Map<number, RunBenchmark>()
  const version = (id: number) => {
    let v = versions.get(id)
    if (!v) versions.set(id, (v = loadBenchmarkVersion(db, id)))
    return v
  }
  const scores = scoresByTriple(scoreGroups(db, runIds))
  const candidates: Candidate[] = itemCounts(db, runIds).map((r) => {
    const b = version(r.versionId)
    return { ...r, benchmarkId: b.benchmarkId, mainMetric: manifestMetrics(b).find((m) => m.main)!.name }
  })
  const chosen = selectCells(candidates, scores, { requireScores: runIds === null })
  const allColumns = columnsOf(chosen, version, benchmarkPlacements(db), res)
  const categories = categoryList(allColumns, res)
  const categoryId = query.categoryId ?? null
  if (categoryId !== null && !categories.some((c) => c.id === categoryId))
    throw new AppError(
      'not_found',
      `leaderboard: there is no taxonomy category "${categoryId}"; use one of ${categories.map((c) => c.id).join(', ')}`,
    )
  const columns = allColumns.filter((c) => categoryId === null || (c.categoryId ?? UNPLACED) === categoryId)
  const keep = new Set(columns.map((c) => c.key))
  const used = chosen.filter((c) => keep.has(columnKey(c)))
  return { runIds, categoryId, categories, columns, used, scores, version }
}

/** One cell per used candidate: its value over the paired (or own) instances, counts, runtime, cost. */
function buildCells(
  db: Ctx['db'],
  sel: Selection,
  paired: ReadonlyMap<string, PairedColumn>,
  calibration: Calibration | null,
): LeaderboardCell[] {
  const usedRuns = [...new Set(sel.used.map((c) => c.runId))]
  const stats = new Map(responseStats(db, usedRuns).map((r) => [tripleKey(r), r]))
  const judges = groupBy(judgeUsage(db, usedRuns), tripleKey)
  const prices = priceMap(db)
  const cells = sel.used.map((c): LeaderboardCell => {
    const main = (sel.scores.get(tripleKey(c)) ?? []).filter((s) => s.metric === c.mainMetric)
    const counts = cellCounts(c, main)
    const s = stats.get(tripleKey(c))
    const own = paired.get(columnKey(c))?.series.find((x) => x.modelKey === c.modelKey && x.values.length > 0)
    return {
      modelKey: c.modelKey,
      columnKey: columnKey(c),
      runId: c.runId,
      benchmarkVersion: sel.version(c.versionId).version,
      value: own ? meanOf(Array.from(own.values)) : null,
      normalized: null, // set per column below
      counts,
      partial: counts.scored < counts.total,
      calibrated: calibration && calibrates(calibration, c) ? calibratedCell(db, calibration, c) : null,
      runtimeMs: s?.meanLatencyMs ?? null,
      cost: {
        model: s ? usageCost({ ...s, modelKey: c.modelKey }, prices.get(c.modelKey)) : NO_COST,
        jury: juryCost(judges.get(tripleKey(c)) ?? [], prices),
      },
      n: own?.values.length ?? 0,
      ci: null, // set from the bootstrap
      wide: false,
      instanceSetHash: own?.hash ?? null,
    }
  })
  for (const col of sel.columns) {
    const mine = cells.filter((c) => c.columnKey === col.key)
    const r = rescaleColumn(
      mine.map((c) => c.value),
      col.scale,
    )
    col.rescaled = r.rescaled
    mine.forEach((c, i) => (c.normalized = r.values[i] ?? null))
  }
  return cells
}

/** A jury column of a benchmark the calibration was fitted on. */
const calibrates = (calibration: Calibration, c: Candidate) =>
  c.mainMetric === 'jury' && calibration.benchmarks.includes(c.benchmarkId)

function prepareLeaderboard(ctx: Ctx, query: Query): Prepared {
  const sel = select(ctx, query)
  const unpaired = query.unpaired === true
  const paired = pairColumns(ctx.db, sel.columns, sel.used, unpaired)
  const calibration = resolveCalibration(ctx.db, query.calibration)
  const cells = buildCells(ctx.db, sel, paired, calibration)
  const models = [...new Set(cells.map((c) => c.modelKey))].sort()
  const matrix = buildMatrix(models, sel.columns, paired, (c) => c.categoryId ?? UNPLACED)
  const seed = query.seed ?? DEFAULT_SEED
  const adjust = query.adjust ?? 'holm'
  return {
    matrix,
    seed,
    finish: (boot) =>
      finishLeaderboard(ctx.db, { sel, cells, matrix, seed, adjust, unpaired, calibration }, boot),
  }
}

function* finishLeaderboard(
  db: Ctx['db'],
  p: {
    sel: Selection
    cells: LeaderboardCell[]
    matrix: ScoreMatrix
    seed: number
    adjust: 'holm' | 'bh'
    unpaired: boolean
    calibration: Calibration | null
  },
  boot: BootstrapResult,
): Generator<number, Leaderboard> {
  const { sel, cells, matrix } = p
  const columns = sel.columns
  cellIntervals(cells, columns, matrix, boot)
  const rows = rankRows(buildRows(columns, cells, rowStatistics(matrix, boot)))
  const names = new Map(columns.map((c) => [c.key, c.benchmarkName]))
  const pairwise = yield* pairwiseSteps(matrix, boot, {
    seed: p.seed,
    adjust: p.adjust,
    columnName: (k) => names.get(k) ?? k,
    groupName: (g) => sel.categories.find((c) => c.id === g)?.name ?? g,
  })
  const usedRuns = new Set(sel.used.map((c) => c.runId))
  const cal = p.calibration
  const calibratedColumns = cal ? [...new Set(sel.used.filter((c) => calibrates(cal, c)).map(columnKey))] : []
  return {
    runIds: sel.runIds,
    categoryId: sel.categoryId,
    columns,
    rows,
    cells,
    runs: scoredRuns(db, sel.runIds).map((r) => ({ ...r, used: usedRuns.has(r.id) })),
    categories: sel.categories,
    prices: listPrices(db),
    notes: [
      ...pairingNotes(columns, cells, p.unpaired),
      ...leaderboardNotes(columns, cells, rows),
      ...(cal ? [calibrationNote(cal, calibratedColumns)] : []),
    ],
    calibration: cal ? calibrationSummary(cal, calibratedColumns) : null,
    statistics: statisticsInfo(p.unpaired, p.seed, p.adjust, columns),
    pairwise,
  }
}

/** Per shown column: its cells' scored instances, paired on the common ones unless `unpaired`. */
function pairColumns(
  db: Ctx['db'],
  columns: LeaderboardColumn[],
  used: readonly Candidate[],
  unpaired: boolean,
): Map<string, PairedColumn> {
  const byColumn = groupBy(used, columnKey)
  const out = new Map<string, PairedColumn>()
  for (const col of columns) {
    const cellScores = (byColumn.get(col.key) ?? [])
      .map((c) => ({
        modelKey: c.modelKey,
        scores: new Map(instanceScores(db, c, c.mainMetric).map((r) => [r.extId, r.value])),
      }))
      .filter((c) => c.scores.size > 0)
    const p = pairColumn(cellScores, !unpaired)
    out.set(col.key, p)
    col.pairing = columnPairing(p)
  }
  return out
}

const columnKey = (c: Candidate) => `${c.benchmarkId}:${c.mainMetric}`

function cellCounts(c: Candidate, main: readonly ScoreGroupRow[]): CellCounts {
  const n = (status: ScoreGroupRow['status']) => main.find((s) => s.status === status)?.n ?? 0
  const scored = n('ok')
  const unscored = n('unscored')
  const failed = n('failed') + c.failed
  return {
    total: c.total,
    scored,
    unscored,
    failed,
    missing: Math.max(0, c.total - scored - unscored - failed),
  }
}

function juryCost(rows: readonly JudgeUsageRow[], prices: ReadonlyMap<string, Price>): CostAmount {
  const byJudge = groupBy(rows, (r) => r.judgeKey)
  return addCosts(
    [...byJudge.entries()].map(([judgeKey, list]) =>
      usageCost(
        {
          modelKey: judgeKey,
          responses: sum(list, (r) => r.responses),
          inputTokens: sum(list, (r) => r.inputTokens),
          outputTokens: sum(list, (r) => r.outputTokens),
          missingTokens: sum(list, (r) => r.missingTokens),
        },
        prices.get(judgeKey),
      ),
    ),
  )
}

function columnsOf(
  chosen: readonly Candidate[],
  version: (id: number) => RunBenchmark,
  placements: ReturnType<typeof benchmarkPlacements>,
  res: Resources,
): LeaderboardColumn[] {
  const byKey = new Map<string, LeaderboardColumn>()
  for (const c of chosen) {
    const key = columnKey(c)
    const b = version(c.versionId)
    const col = byKey.get(key)
    if (col) {
      if (!col.versions.includes(b.version)) col.versions.push(b.version)
      continue
    }
    const place = placements.get(c.benchmarkId)
    const categoryId = place?.categoryId ?? null
    const subcategoryId = place?.subcategoryId ?? null
    const sub = subcategoryId ? res.subcategoryById.get(subcategoryId) : undefined
    byKey.set(key, {
      key,
      benchmarkId: c.benchmarkId,
      benchmarkName: b.name,
      metric: c.mainMetric,
      scale: metricScale(c.mainMetric),
      rescaled: false,
      versions: [b.version],
      categoryId,
      categoryName: categoryName(categoryId, res),
      subcategoryId,
      subcategoryName: sub?.subcategory.name ?? subcategoryId ?? UNPLACED_NAME,
      pairing: { common: null, mixed: false, dropped: [], binary: false }, // set by pairColumns
    })
  }
  // Taxonomy order (category, subcategory), then benchmark name.
  const order = new Map<string, number>()
  res.taxonomy.categories.forEach((cat, i) =>
    cat.subcategories.forEach((s, j) => order.set(s.id, i * 100 + j)),
  )
  const rank = (c: LeaderboardColumn) =>
    c.subcategoryId !== null && order.has(c.subcategoryId) ? order.get(c.subcategoryId)! : 1e9
  return [...byKey.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.categoryId ?? '').localeCompare(b.categoryId ?? '') ||
      a.benchmarkName.localeCompare(b.benchmarkName) ||
      a.key.localeCompare(b.key),
  )
}

function categoryName(id: string | null, res: Resources): string {
  if (id === null) return UNPLACED_NAME
  return res.taxonomy.categories.find((c) => c.id === id)?.name ?? id
}

/** The taxonomy's categories (and any other placement a benchmark has), with their column counts. */
function categoryList(columns: readonly LeaderboardColumn[], res: Resources): Leaderboard['categories'] {
  const ids = [
    ...res.taxonomy.categories.map((c) => c.id),
    ...columns.map((c) => c.categoryId ?? UNPLACED),
  ].filter((id, i, all) => all.indexOf(id) === i)
  return ids.map((id) => ({
    id,
    name: categoryName(id === UNPLACED ? null : id, res),
    columns: columns.filter((c) => (c.categoryId ?? UNPLACED) === id).length,
  }))
}

type UnrankedRow = Omit<LeaderboardRow, 'rank'>

function buildRows(
  columns: readonly LeaderboardColumn[],
  cells: readonly LeaderboardCell[],
  statistics: ReadonlyMap<string, RowStatistics>,
): UnrankedRow[] {
  const models = [...new Set(cells.map((c) => c.modelKey))].sort()
  const at = cellLookup(cells)
  const cell = (model: string, col: LeaderboardColumn) => at(model, col.key)

  /** Per model: mean win rate and macro-average over these columns. */
  const over = (cols: readonly LeaderboardColumn[]) => {
    const wins = aggregateWinRates(
      models.length,
      cols.map((col) => ({ lowerIsBetter: false, values: models.map((m) => cell(m, col)?.value ?? null) })),
    )
    return models.map((m, i) => ({
      winRate: wins[i]!.winRate,
      winRateColumns: wins[i]!.columns,
      macro: meanAndSd(cols.map((col) => cell(m, col)?.normalized ?? null)),
    }))
  }
  const groups = (idOf: (c: LeaderboardColumn) => string, nameOf: (c: LeaderboardColumn) => string) =>
    [...groupBy(columns, idOf).entries()].map(([id, cols]) => ({
      id,
      name: nameOf(cols[0]!),
      categoryId: cols[0]!.categoryId,
      scores: over(cols),
    }))

  const overall = over(columns)
  const categories = groups(
    (c) => c.categoryId ?? UNPLACED,
    (c) => c.categoryName,
  )
  const subcategories = groups(
    (c) => c.subcategoryId ?? UNPLACED,
    (c) => c.subcategoryName,
  )
  const runtime = aggregateWinRates(
    models.length,
    columns.map((col) => ({
      lowerIsBetter: true,
      values: models.map((m) => cell(m, col)?.runtimeMs ?? null),
    })),
  )
  const score = (
    g: { id: string; name: string; scores: ReturnType<typeof over> },
    i: number,
    ci: Interval | null = null,
  ): GroupScore => ({
    id: g.id,
    name: g.name,
    winRate: g.scores[i]!.winRate,
    macro: g.scores[i]!.macro,
    macroCi: g.scores[i]!.macro.mean === null ? null : ci,
  })

  return models.map((modelKey, i) => {
    const st = statistics.get(modelKey)!
    const mine = cells.filter((c) => c.modelKey === modelKey)
    const model = addCosts(mine.map((c) => c.cost.model))
    const jury = addCosts(mine.map((c) => c.cost.jury))
    return {
      modelKey,
      winRate: overall[i]!.winRate,
      winRateColumns: overall[i]!.winRateColumns,
      macro: overall[i]!.macro,
      categories: categories.map((g) => score(g, i, st.categoryCi.get(g.id) ?? null)),
      subcategories: subcategories.map((g) => ({ ...score(g, i), categoryId: g.categoryId })),
      runtime: { meanMs: meanOf(mine.map((c) => c.runtimeMs)), winRate: runtime[i]!.winRate },
      cost: { model, jury, total: addCosts([model, jury]) },
      benchmarks: mine.length,
      scoredBenchmarks: mine.filter((c) => c.value !== null).length,
      winRateCi: overall[i]!.winRate === null ? null : st.winRateCi,
      macroCi: overall[i]!.macro.mean === null ? null : st.macroCi,
      rankInterval: st.rankInterval,
      tieGroup: st.tieGroup,
      notSeparableFrom: st.notSeparableFrom,
    }
  })
}

const desc = (a: number | null, b: number | null) => (b ?? -Infinity) - (a ?? -Infinity) || 0

/** By mean win rate, then macro-average (nulls last), then model key. */
export function rankRows(rows: readonly UnrankedRow[]): LeaderboardRow[] {
  return [...rows]
    .sort(
      (a, b) =>
        desc(a.winRate, b.winRate) ||
        desc(a.macro.mean, b.macro.mean) ||
        a.modelKey.localeCompare(b.modelKey),
    )
    .map((r, i) => ({ rank: i + 1, ...r }))
}

const sum = <T>(items: readonly T[], f: (t: T) => number) => items.reduce((s, x) => s + f(x), 0)
