import { ADJUST_NAMES, type AdjustMethod } from '../stats/multiplicity'
import { DEFAULT_RESAMPLES } from '../stats/bootstrap'
import { checkWidths, readCsvFile, textCell, numberCell, type CsvTable } from '../csv/read'
import { AppError } from '../errors'
import type { PairwiseComparison } from '../../shared/api/leaderboard'
import { pairwiseComparisons } from './pairwise'
import { pairColumn, type MatrixColumn, type PairedColumn } from './score-matrix'
import { bootstrapSteps, intervalOf, runSteps } from './uncertainty'
import { DEFAULT_SEED } from './leaderboard-stats'

/**
 * `stats compare <scores.csv>`: a long CSV `benchmark,instance_id,model,score` (0/1 or numeric) →
 * per model × benchmark n, mean and 95% bootstrap interval on the instances every model has, and
 * every pair of models on every benchmark: difference with its interval, the paired test (exact
 * McNemar for 0/1, sign-flip permutation otherwise), raw and adjusted p. The whole file is checked
 * before anything is computed; a bad line stops it with the line and column.
 */

export const COMPARE_COLUMNS = ['benchmark', 'instance_id', 'model', 'score'] as const

export interface CompareCell {
  benchmark: string
  model: string
  n: number
  mean: number
  ci: { lo: number; hi: number } | null
  /** The model's instances left out because another model lacks them. */
  dropped: number
}

export interface CompareReport {
  file: string
  models: string[]
  benchmarks: {
    benchmark: string
    common: number
    binary: boolean
    dropped: { model: string; dropped: number }[]
  }[]
  cells: CompareCell[]
  pairwise: PairwiseComparison[]
  statistics: { resamples: number; seed: number; adjust: AdjustMethod; adjustName: string; level: number }
}

type Rows = Map<string, Map<string, Map<string, number>>> // benchmark → model → instance → score

function readRows(t: CsvTable): Rows {
  const col = COMPARE_COLUMNS.map((c) => t.header.findIndex((h) => h.toLowerCase() === c))
  const missing = COMPARE_COLUMNS.filter((_, i) => col[i]! < 0)
  if (missing.length)
    throw new AppError(
      'bad_data',
      `${t.name} line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header must name ${COMPARE_COLUMNS.join(', ')})`,
    )
  checkWidths(t)
  const [bi, ii, mi, si] = col as [number, number, number, number]
  const rows: Rows = new Map()
  const seen = new Map<string, number>()
  for (const r of t.records) {
    const benchmark = textCell(t, r, bi)
    const instance = textCell(t, r, ii)
    const model = textCell(t, r, mi)
    const score = numberCell(t, r, si)
    const key = JSON.stringify([benchmark, instance, model])
    const first = seen.get(key)
    if (first !== undefined)
      throw new AppError(
        'bad_data',
        `${t.name} line ${r.line}: duplicate row — the same benchmark, instance_id and model as line ${first}`,
      )
    seen.set(key, r.line)
    let b = rows.get(benchmark)
    if (!b) rows.set(benchmark, (b = new Map()))
    let m = b.get(model)
    if (!m) b.set(model, (m = new Map()))
    m.set(instance, score)
  }
  return rows
}

function checkModels(t: CsvTable, rows: Rows): string[] {
  const models = [...new Set([...rows.values()].flatMap((b) => [...b.keys()]))].sort()
  if (models.length < 2)
    throw new AppError(
      'bad_data',
      `${t.name}: comparing needs at least two models in column "model"; found ${models.length}`,
    )
  for (const [benchmark, b] of rows)
    for (const model of models)
      if (!b.has(model))
        throw new AppError(
          'bad_data',
          `${t.name}: model ${model} has no instances on benchmark ${benchmark} (column "model"); give it scores there or leave the model out`,
        )
  return models
}

export function compareScoresFile(
  path: string,
  options: { adjust?: AdjustMethod; seed?: number } = {},
): CompareReport {
  const t = readCsvFile(path)
  const rows = readRows(t)
  const models = checkModels(t, rows)
  const seed = options.seed ?? DEFAULT_SEED
  const adjust = options.adjust ?? 'holm'
  const benchmarks = [...rows.keys()].sort()
  const paired = new Map<string, PairedColumn>()
  for (const b of benchmarks) {
    const p = pairColumn(
      models.map((m) => ({ modelKey: m, scores: rows.get(b)!.get(m)! })),
      true,
    )
    if (p.common === 0)
      throw new AppError('bad_data', `${t.name}: on benchmark ${b} no instance_id is scored for every model`)
    paired.set(b, p)
  }
  const columns: MatrixColumn[] = benchmarks.map((b) => ({
    key: b,
    models: models.map((_, i) => i),
    values: paired.get(b)!.series.map((s) => s.values),
    paired: true,
    rescale: false,
    binary: paired.get(b)!.binary,
    group: b,
  }))
  const matrix = { models, columns }
  const boot = runSteps(bootstrapSteps(matrix, { resamples: DEFAULT_RESAMPLES, seed }))
  const cells = columns.flatMap((col, c) =>
    col.values.map((v, k) => ({
      benchmark: col.key,
      model: models[k]!,
      n: v.length,
      mean: v.reduce((s, x) => s + x, 0) / v.length,
      ci: v.length < 2 ? null : intervalOf(boot.cellMeans[c]![k]!),
      dropped: paired.get(col.key)!.series[k]!.dropped,
    })),
  )
  return {
    file: t.name,
    models,
    benchmarks: benchmarks.map((b) => {
      const p = paired.get(b)!
      return {
        benchmark: b,
        common: p.common!,
        binary: p.binary,
        dropped: p.series
          .filter((s) => s.dropped > 0)
          .map((s) => ({ model: s.modelKey, dropped: s.dropped })),
      }
    }),
    cells,
    pairwise: pairwiseComparisons(matrix, boot, { seed, adjust, columnName: (k) => k, groupName: (g) => g }),
    statistics: { resamples: DEFAULT_RESAMPLES, seed, adjust, adjustName: ADJUST_NAMES[adjust], level: 0.95 },
  }
}
