import type {
  CellCounts,
  CostAmount,
  GroupScore,
  Leaderboard,
  LeaderboardCell,
  LeaderboardColumn,
  LeaderboardQuery,
  LeaderboardRow,
} from '../../shared/api/leaderboard'
import type { AppContext } from '../app/context'
import { loadResources, type Resources } from '../benchmarks/resources'
import { AppError } from '../errors'
import { manifestMetrics } from '../jury/run/report'
import { loadBenchmarkVersion, type RunBenchmark } from '../runs/store'
import { calibratedCell, calibrationNote, calibrationSummary, resolveCalibration } from './calibrated'
import { addCosts, NO_COST, usageCost, type Price } from './cost'
import { meanAndSd, meanOf } from './macro-average'
import { leaderboardNotes } from './notes'
import { priceMap, listPrices } from './prices'
import {
  benchmarkPlacements,
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

type Query = Pick<LeaderboardQuery, 'runIds' | 'categoryId' | 'calibration'>

export function computeLeaderboard(ctx: Pick<AppContext, 'db' | 'resourcesDir'>, query: Query): Leaderboard {
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

  const placements = benchmarkPlacements(db)
  const allColumns = columnsOf(chosen, version, placements, res)
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

  const usedRuns = [...new Set(used.map((c) => c.runId))]
  const stats = new Map(responseStats(db, usedRuns).map((r) => [tripleKey(r), r]))
  const judges = groupBy(judgeUsage(db, usedRuns), tripleKey)
  const prices = priceMap(db)
  const calibration = resolveCalibration(db, query.calibration)
  const calibrates = (c: Candidate) =>
    calibration !== null && c.mainMetric === 'jury' && calibration.benchmarks.includes(c.benchmarkId)

  const cells: LeaderboardCell[] = used.map((c) => {
    const main = (scores.get(tripleKey(c)) ?? []).filter((s) => s.metric === c.mainMetric)
    const counts = cellCounts(c, main)
    const s = stats.get(tripleKey(c))
    return {
      modelKey: c.modelKey,
      columnKey: columnKey(c),
      runId: c.runId,
      benchmarkVersion: version(c.versionId).version,
      value: main.find((x) => x.status === 'ok')?.mean ?? null,
      normalized: null, // set per column below
      counts,
      partial: counts.scored < counts.total,
      calibrated: calibration && calibrates(c) ? calibratedCell(db, calibration, c) : null,
      runtimeMs: s?.meanLatencyMs ?? null,
      cost: {
        model: s ? usageCost({ ...s, modelKey: c.modelKey }, prices.get(c.modelKey)) : NO_COST,
        jury: juryCost(judges.get(tripleKey(c)) ?? [], prices),
      },
    }
  })

  for (const col of columns) {
    const mine = cells.filter((c) => c.columnKey === col.key)
    const r = rescaleColumn(
      mine.map((c) => c.value),
      col.scale,
    )
    col.rescaled = r.rescaled
    mine.forEach((c, i) => (c.normalized = r.values[i] ?? null))
  }

  const rows = rankRows(buildRows(columns, cells))
  const calibratedColumns = [...new Set(used.filter(calibrates).map(columnKey))]
  const notes = leaderboardNotes(columns, cells, rows)
  if (calibration) notes.push(calibrationNote(calibration, calibratedColumns))
  return {
    runIds,
    categoryId,
    columns,
    rows,
    cells,
    runs: scoredRuns(db, runIds).map((r) => ({ ...r, used: usedRuns.includes(r.id) })),
    categories,
    prices: listPrices(db),
    notes,
    calibration: calibration ? calibrationSummary(calibration, calibratedColumns) : null,
  }
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

function buildRows(columns: readonly LeaderboardColumn[], cells: readonly LeaderboardCell[]): UnrankedRow[] {
  const models = [...new Set(cells.map((c) => c.modelKey))].sort()
  const at = new Map(cells.map((c) => [`${c.modelKey}\u0000${c.columnKey}`, c]))
  const cell = (model: string, col: LeaderboardColumn) => at.get(`${model}\u0000${col.key}`)

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
  ): GroupScore => ({
    id: g.id,
    name: g.name,
    winRate: g.scores[i]!.winRate,
    macro: g.scores[i]!.macro,
  })

  return models.map((modelKey, i) => {
    const mine = cells.filter((c) => c.modelKey === modelKey)
    const model = addCosts(mine.map((c) => c.cost.model))
    const jury = addCosts(mine.map((c) => c.cost.jury))
    return {
      modelKey,
      winRate: overall[i]!.winRate,
      winRateColumns: overall[i]!.winRateColumns,
      macro: overall[i]!.macro,
      categories: categories.map((g) => score(g, i)),
      subcategories: subcategories.map((g) => ({ ...score(g, i), categoryId: g.categoryId })),
      runtime: { meanMs: meanOf(mine.map((c) => c.runtimeMs)), winRate: runtime[i]!.winRate },
      cost: { model, jury, total: addCosts([model, jury]) },
      benchmarks: mine.length,
      scoredBenchmarks: mine.filter((c) => c.value !== null).length,
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
