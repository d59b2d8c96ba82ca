import { heatColor } from '../scoring/heat'
import type {
  CellCounts,
  LeaderboardCell,
  LeaderboardColumn,
  MacroAverage,
} from '../../../../shared/api/leaderboard'

export function formatRate(x: number | null): string {
  return x === null ? '—' : x.toFixed(3)
}

export function formatMacro(m: MacroAverage): string {
  if (m.mean === null) return '—'
  return m.sd === null ? m.mean.toFixed(3) : `${m.mean.toFixed(3)} ± ${m.sd.toFixed(3)}`
}

export function countsText(c: CellCounts): string {
  const parts = [`${c.scored} of ${c.total} scored`]
  if (c.unscored) parts.push(`${c.unscored} unscored`)
  if (c.failed) parts.push(`${c.failed} failed`)
  if (c.missing) parts.push(`${c.missing} not scored yet`)
  return parts.join(', ')
}

/** "[0.41, 0.66]" or "—". */
export function formatCi(ci: { lo: number; hi: number } | null, digits = 2): string {
  return ci === null ? '—' : `[${ci.lo.toFixed(digits)}, ${ci.hi.toFixed(digits)}]`
}

/** A cell's n and 95% interval in words (hover text and screen readers). */
export function intervalText(col: LeaderboardColumn, cell: LeaderboardCell): string {
  if (cell.ci === null) return `n = ${cell.n}; too few instances for an interval`
  const scale = col.scale === '1-5' ? ' (1–5 scale)' : ''
  return `n = ${cell.n}; 95% interval ${cell.ci.lo.toFixed(2)} to ${cell.ci.hi.toFixed(2)}${scale}${cell.wide ? ' — wide: too few instances to tell models apart' : ''}`
}

/** What a screen reader hears on a heat-map cell. */
export function cellLabel(model: string, col: LeaderboardColumn, cell: LeaderboardCell | undefined): string {
  const where = `${model} on ${col.benchmarkName}`
  if (!cell) return `${where}: not run`
  if (cell.value === null || cell.normalized === null)
    return `${where}: no score (${countsText(cell.counts)})`
  const raw = col.scale === '1-5' ? `, ${col.metric} ${cell.value.toFixed(2)} of 5` : ''
  return `${where}: ${cell.normalized.toFixed(2)} on 0 to 1${raw}; ${intervalText(col, cell)}; ${countsText(cell.counts)}${cell.partial ? ' (partial)' : ''}`
}

/** Background of a 0–1 score: the jury heat map's scale, red (0) through amber to green (1). */
export function heat01(x: number): string {
  return heatColor(1 + 4 * x)
}
