import type {
  ColumnPairing,
  Interval,
  LeaderboardCell,
  LeaderboardColumn,
  LeaderboardRow,
  StatisticsInfo,
} from '../../shared/api/leaderboard'
import { ADJUST_NAMES, type AdjustMethod } from '../stats/multiplicity'
import { DEFAULT_PERMUTATIONS } from '../stats/permutation'
import { DEFAULT_RESAMPLES } from '../stats/bootstrap'
import type { PairedColumn, ScoreMatrix } from './score-matrix'
import { intervalOf, rankSummaries, type BootstrapResult } from './uncertainty'

/**
 * The leaderboard's statistics glue: from the paired columns to the score matrix, and from the
 * bootstrap back to each cell's interval and each row's intervals, rank interval and tie group.
 */

export const DEFAULT_SEED = 20_261_204
export const WIDE_INTERVAL = 0.2

export function columnPairing(p: PairedColumn): ColumnPairing {
  return {
    common: p.common,
    mixed: p.mixed,
    dropped: p.series.filter((s) => s.dropped > 0).map((s) => ({ modelKey: s.modelKey, dropped: s.dropped })),
    binary: p.binary,
  }
}

/** The matrix over the shown columns: models in key order, each column's models with instances. */
export function buildMatrix(
  models: readonly string[],
  columns: readonly LeaderboardColumn[],
  paired: ReadonlyMap<string, PairedColumn>,
  groupOf: (c: LeaderboardColumn) => string,
): ScoreMatrix {
  const index = new Map(models.map((m, i) => [m, i]))
  return {
    models: [...models],
    columns: columns.flatMap((col) => {
      const series = (paired.get(col.key)?.series ?? []).filter((s) => s.values.length > 0)
      if (series.length === 0) return []
      return [
        {
          key: col.key,
          models: series.map((s) => index.get(s.modelKey)!),
          values: series.map((s) => s.values),
          paired: col.pairing.common !== null,
          rescale: col.rescaled,
          binary: col.pairing.binary,
          group: groupOf(col),
        },
      ]
    }),
  }
}

/** Each cell's 95% interval (null below 2 instances) and whether it is wider than 0.2 on 0–1. */
export function cellIntervals(
  cells: LeaderboardCell[],
  columns: readonly LeaderboardColumn[],
  matrix: ScoreMatrix,
  boot: BootstrapResult,
): void {
  const byKey = new Map(columns.map((c) => [c.key, c]))
  matrix.columns.forEach((col, ci) => {
    col.models.forEach((m, k) => {
      const cell = cells.find((c) => c.columnKey === col.key && c.modelKey === matrix.models[m])
      if (!cell || cell.n < 2) return
      cell.ci = intervalOf(boot.cellMeans[ci]![k]!)
      const width = cell.ci ? (cell.ci.hi - cell.ci.lo) / (byKey.get(col.key)!.rescaled ? 4 : 1) : 0
      cell.wide = width > WIDE_INTERVAL
    })
  })
}

export type RowStatistics = Pick<
  LeaderboardRow,
  'winRateCi' | 'macroCi' | 'rankInterval' | 'tieGroup' | 'notSeparableFrom'
> & { categoryCi: Map<string, Interval | null> }

export function rowStatistics(matrix: ScoreMatrix, boot: BootstrapResult): Map<string, RowStatistics> {
  const ranks = rankSummaries(boot.rank)
  return new Map(
    matrix.models.map((modelKey, m) => {
      const r = ranks[m]!
      return [
        modelKey,
        {
          winRateCi: intervalOf(boot.winRate[m]!),
          macroCi: intervalOf(boot.macro[m]!),
          rankInterval: { lo: r.lo, hi: r.hi },
          tieGroup: r.tieGroup,
          notSeparableFrom: r.notSeparableFrom.map((o) => matrix.models[o]!),
          categoryCi: new Map([...boot.groupMacro].map(([g, v]) => [g, intervalOf(v[m]!)])),
        },
      ]
    }),
  )
}

export function statisticsInfo(
  unpaired: boolean,
  seed: number,
  adjust: AdjustMethod,
  cells: readonly LeaderboardColumn[],
): StatisticsInfo {
  return {
    view: unpaired ? 'unpaired' : 'paired',
    resamples: DEFAULT_RESAMPLES,
    permutations: DEFAULT_PERMUTATIONS,
    seed,
    level: 0.95,
    adjust,
    adjustName: ADJUST_NAMES[adjust],
    droppedInstances: cells.reduce((n, c) => n + c.pairing.dropped.reduce((s, d) => s + d.dropped, 0), 0),
  }
}

/** Plain-language notes about pairing and wide intervals. */
export function pairingNotes(
  columns: readonly LeaderboardColumn[],
  cells: readonly LeaderboardCell[],
  unpaired: boolean,
): string[] {
  const notes: string[] = []
  if (unpaired)
    notes.push(
      'Unpaired view: each model is scored on its own instances, which may differ between models; differences can come from the instances, so no significance tests are made. The default view compares models on their common instances.',
    )
  for (const col of columns.filter((c) => c.pairing.mixed)) {
    const dropped = col.pairing.dropped.map((d) => `${d.modelKey} ${d.dropped}`).join(', ')
    notes.push(
      unpaired
        ? `${col.benchmarkName}: the models were scored on different instances (unpaired view).`
        : `${col.benchmarkName}: the models were scored on different instances; compared on the ${col.pairing.common} they all have (dropped: ${dropped}). See each model's own instances with the unpaired view.`,
    )
  }
  const wide = cells.filter((c) => c.wide).length
  if (wide)
    notes.push(
      `${wide} cells have a 95% interval wider than 0.2: too few instances to tell models apart there.`,
    )
  return notes
}
