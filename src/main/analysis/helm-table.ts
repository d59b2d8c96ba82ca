import { checkWidths, cellPlace, readCsvFile, textCell, type CsvTable } from '../csv/read'
import { AppError } from '../errors'
import { sampleSd } from '../stats/descriptive'
import type { Resources } from '../benchmarks/resources'
import { meanAndSd, type MeanSd } from './macro-average'
import { rescaleColumn, type MetricScale } from './rescale'
import { aggregateWinRates } from './win-rate'

/**
 * `stats leaderboard <table.csv>`: MedHELM's leaderboard from a HELM-style table of per-benchmark
 * scores (first column the model, then `<Benchmark> - <Metric>` columns; an optional "Mean win
 * rate" column is read as the published value to check against). Per model: HELM's mean win rate
 * and the SD of its per-benchmark win rates; the paper's pairwise win SD (SOM
 * tables/1_win_rate_table.py: population SD over the other models of the share of benchmarks won
 * outright); the macro-average of the 0–1 scores and its SD; per-category macro-averages through
 * the catalog's benchmark → category map. "Jury Score" columns are 1–5; other columns are placed
 * on 0–1 by SOM's rule (./rescale.ts), as the paper did for jury columns headed "Accuracy".
 */

export interface TableColumn {
  header: string
  benchmark: string
  metric: string
  scale: MetricScale
  rescaled: boolean
  /** Catalog benchmark id, or null when the name is not in the catalog. */
  benchmarkId: string | null
  categoryId: string | null
}

export interface TableModel {
  model: string
  winRate: number | null
  /** The table's own "Mean win rate", when it has one. */
  publishedWinRate: number | null
  /** Sample SD of the model's per-benchmark win rates. */
  winRateSd: number | null
  /** The paper's "Win SD": SD of the pairwise shares of benchmarks won. */
  pairwiseWinSd: number | null
  macro: MeanSd
  categories: { id: string; name: string; macro: MeanSd }[]
}

export interface TableLeaderboard {
  file: string
  columns: TableColumn[]
  models: TableModel[]
  notes: string[]
}

/** HELM display names that differ from the catalog's. */
const ALIASES: Record<string, string> = { 'mimic-bhc': 'mimic_bhc', 'n2c2-ct': 'n2c2_ct_matching' }
const WIN_RATE = 'mean win rate'

function placeColumn(t: CsvTable, header: string, i: number, res: Resources): Omit<TableColumn, 'rescaled'> {
  const cut = header.indexOf(' - ')
  if (cut <= 0)
    throw new AppError(
      'bad_data',
      `${cellPlace(t, 1, i)}: a score column must be headed "<Benchmark> - <Metric>"`,
    )
  const benchmark = header.slice(0, cut).trim()
  const metric = header.slice(cut + 3).trim()
  const norm = (s: string) => s.trim().toLowerCase()
  const entry =
    res.catalog.benchmarks.find((b) => norm(b.name) === norm(benchmark) || norm(b.id) === norm(benchmark)) ??
    res.catalogById.get(ALIASES[norm(benchmark)] ?? '')
  return {
    header,
    benchmark,
    metric,
    scale: /^jury score$/i.test(metric) ? '1-5' : '0-1',
    benchmarkId: entry?.id ?? null,
    categoryId: entry?.category ?? null,
  }
}

function readTable(path: string, res: Resources) {
  const t = readCsvFile(path)
  if (t.header.length < 2)
    throw new AppError('bad_data', `${t.name} line 1: a model column and score columns are needed`)
  checkWidths(t)
  const winCol = t.header.findIndex((h, i) => i > 0 && h.toLowerCase() === WIN_RATE)
  const scoreCols = t.header.map((_, i) => i).filter((i) => i !== 0 && i !== winCol)
  if (scoreCols.length === 0) throw new AppError('bad_data', `${t.name} line 1: no benchmark columns`)
  const columns = scoreCols.map((i) => placeColumn(t, t.header[i]!, i, res))
  const seen = new Map<string, number>()
  const rows = t.records.map((r) => {
    const model = textCell(t, r, 0)
    if (seen.has(model))
      throw new AppError('bad_data', `${cellPlace(t, r.line, 0)}: the same model as line ${seen.get(model)}`)
    seen.set(model, r.line)
    const value = (i: number) => {
      const raw = (r.fields[i] ?? '').trim()
      if (raw === '' || raw === '-') return null
      const x = Number(raw)
      if (!Number.isFinite(x)) throw new AppError('bad_data', `${cellPlace(t, r.line, i)}: not a number`)
      return x
    }
    return { model, published: winCol >= 0 ? value(winCol) : null, scores: scoreCols.map(value) }
  })
  if (rows.length < 2)
    throw new AppError('bad_data', `${t.name}: a leaderboard needs at least two models; found ${rows.length}`)
  return { t, columns, rows }
}

export function leaderboardFromTable(path: string, res: Resources): TableLeaderboard {
  const { t, columns, rows } = readTable(path, res)
  return leaderboardFromScores(t.name, columns, rows, res)
}

/** Per-benchmark scores of models, from a table or another source (a HELM-shaped export). */
export interface ScoreTableRow {
  model: string
  /** The source's own mean win rate, when it has one. */
  published: number | null
  /** One score per column; null where the model has none. */
  scores: (number | null)[]
}

export function leaderboardFromScores(
  file: string,
  columns: readonly Omit<TableColumn, 'rescaled'>[],
  rows: readonly ScoreTableRow[],
  res: Resources,
): TableLeaderboard {
  const M = rows.length
  const raw = columns.map((_, c) => rows.map((r) => r.scores[c]!))
  const wins = aggregateWinRates(
    M,
    raw.map((values) => ({ lowerIsBetter: false, values })),
  )
  const scaled = columns.map((col, c) => rescaleColumn(raw[c]!, col.scale))
  const norm = (m: number) => scaled.map((s) => s.values[m]!)
  const categories = [...new Set(columns.map((c) => c.categoryId).filter((c): c is string => c !== null))]
  const models = rows.map((r, m): TableModel => {
    const perColumn = wins[m]!.perColumn.filter((x): x is number => x !== null)
    return {
      model: r.model,
      winRate: wins[m]!.winRate,
      publishedWinRate: r.published,
      winRateSd: sampleSd(perColumn),
      pairwiseWinSd: pairwiseWinSd(raw, m),
      macro: meanAndSd(norm(m)),
      categories: categories.map((id) => ({
        id,
        name: res.taxonomy.categories.find((c) => c.id === id)?.name ?? id,
        macro: meanAndSd(norm(m).filter((_, c) => columns[c]!.categoryId === id)),
      })),
    }
  })
  const unplaced = columns.filter((c) => c.benchmarkId === null).map((c) => c.benchmark)
  return {
    file,
    columns: columns.map((c, i) => ({ ...c, rescaled: scaled[i]!.rescaled })),
    models: models.sort((a, b) => (b.winRate ?? -1) - (a.winRate ?? -1)),
    notes: unplaced.length ? [`Not in the catalog, so in no category: ${unplaced.join(', ')}.`] : [],
  }
}

/** SOM's win SD: over the other models, the population SD of the share of benchmarks where m scores strictly higher. */
function pairwiseWinSd(raw: (number | null)[][], m: number): number | null {
  const M = raw[0]?.length ?? 0
  const shares: number[] = []
  for (let o = 0; o < M; o++) {
    if (o === m) continue
    let won = 0
    for (const col of raw) if (col[m] !== null && col[o] !== null && col[m]! > col[o]!) won++
    shares.push(won / raw.length)
  }
  if (shares.length === 0) return null
  const mu = shares.reduce((s, x) => s + x, 0) / shares.length
  return Math.sqrt(shares.reduce((s, x) => s + (x - mu) ** 2, 0) / shares.length)
}
