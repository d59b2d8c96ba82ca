import { createHash } from 'node:crypto'
import { isBinary } from '../stats/mcnemar'

/**
 * The per-instance score matrix behind the leaderboard, built once: for each benchmark column, each
 * model's scores as a Float64Array over the instances compared. Paired (the default): only the
 * instances every model of the column has scored, in one order, so resampling the same indices
 * keeps the pairing. Unpaired: each model's own instances.
 */

/** A cell's scored instances: instance id → score. */
export interface CellScores {
  modelKey: string
  scores: ReadonlyMap<string, number>
}

export interface ModelSeries {
  modelKey: string
  values: Float64Array
  /** Own scored instances left out because another model lacks them (0 unpaired). */
  dropped: number
  /** sha256 of the sorted instance ids; null without instances. */
  hash: string | null
}

export interface PairedColumn {
  series: ModelSeries[]
  /** Instances common to every model; null unpaired. */
  common: number | null
  /** The models' instance sets differ. */
  mixed: boolean
  binary: boolean
}

export function instanceSetHash(sortedIds: readonly string[]): string | null {
  if (sortedIds.length === 0) return null
  const h = createHash('sha256')
  for (const id of sortedIds) h.update(id).update('\n')
  return h.digest('hex')
}

const sorted = (ids: Iterable<string>) => [...ids].sort()

export function pairColumn(cells: readonly CellScores[], paired: boolean): PairedColumn {
  const sizes = new Set(cells.map((c) => c.scores.size))
  let common: string[] = cells.length ? sorted(cells[0]!.scores.keys()) : []
  for (const c of cells.slice(1)) common = common.filter((id) => c.scores.has(id))
  const mixed = sizes.size > 1 || cells.some((c) => c.scores.size !== common.length)
  const series = cells.map((c): ModelSeries => {
    const ids = paired ? common : sorted(c.scores.keys())
    return {
      modelKey: c.modelKey,
      values: Float64Array.from(ids, (id) => c.scores.get(id)!),
      dropped: paired ? c.scores.size - common.length : 0,
      hash: instanceSetHash(ids),
    }
  })
  return {
    series,
    common: paired ? common.length : null,
    mixed,
    binary: series.every((s) => isBinary(s.values)),
  }
}

/** One benchmark column of the matrix. */
export interface MatrixColumn {
  key: string
  /** Indices into `ScoreMatrix.models` of the models with values here (at least one instance each). */
  models: number[]
  /** Scores of each listed model (same order); all the same length and order when paired. */
  values: Float64Array[]
  paired: boolean
  /** 1–5 column shown on 0–1 as (x − 1) / 4 in macro-averages. */
  rescale: boolean
  binary: boolean
  /** Category (or other group) the column's macro-average counts in. */
  group: string
}

export interface ScoreMatrix {
  models: string[]
  columns: MatrixColumn[]
}

export const normalize = (col: MatrixColumn, x: number) => (col.rescale ? (x - 1) / 4 : x)
