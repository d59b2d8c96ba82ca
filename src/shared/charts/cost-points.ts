import { costText, type Leaderboard } from '../api/leaderboard'
import { dataAxis, type AxisScale } from './axis'

/**
 * The cost–performance chart's data, from the same Leaderboard the screen gets: per model its mean
 * win rate against its cost per 1,000 answers (the model's own answers, and the jury's verdicts on
 * them, apart) or its mean time per answer. Models without a win rate or a known cost/time are
 * listed with the reason, never drawn at 0.
 */

export type CostAxis = 'cost' | 'runtime'

export interface CostPoint {
  modelKey: string
  winRate: number
  /** USD per 1,000 answers: the model's own answers. */
  modelUsd: number
  /** USD per 1,000 answers: the jury's verdicts on them. */
  juryUsd: number
  /** modelUsd + juryUsd. */
  totalUsd: number
  /** Mean seconds per answer. */
  runtimeS: number
  answers: number
  /** Where the point is drawn on the horizontal axis (totalUsd or runtimeS). */
  x: number
}

export interface UnplottedModel {
  modelKey: string
  reason: string
}

const PER = 1000

function unplottedReason(r: Leaderboard['rows'][number], axis: CostAxis): string | null {
  if (r.winRate === null) return 'no mean win rate (it needs another model on the same benchmark)'
  if (axis === 'runtime') return r.runtime.meanMs === null ? 'no runtime recorded' : null
  if (r.cost.model.responses === 0) return 'no answers with a cost recorded'
  return r.cost.total.usd === null ? `cost ${costText(r.cost.total)}` : null
}

export function costPoints(
  data: Leaderboard,
  axis: CostAxis,
): { points: CostPoint[]; unplotted: UnplottedModel[] } {
  const points: CostPoint[] = []
  const unplotted: UnplottedModel[] = []
  for (const r of data.rows) {
    const reason = unplottedReason(r, axis)
    if (reason !== null) {
      unplotted.push({ modelKey: r.modelKey, reason })
      continue
    }
    const answers = r.cost.model.responses
    const per = (usd: number | null) => (usd === null || answers === 0 ? 0 : (usd / answers) * PER)
    const modelUsd = per(r.cost.model.usd)
    const juryUsd = per(r.cost.jury.usd)
    const runtimeS = (r.runtime.meanMs ?? 0) / 1000
    points.push({
      modelKey: r.modelKey,
      winRate: r.winRate!,
      modelUsd,
      juryUsd,
      totalUsd: modelUsd + juryUsd,
      runtimeS,
      answers,
      x: axis === 'cost' ? modelUsd + juryUsd : runtimeS,
    })
  }
  return { points, unplotted }
}

/** A tick of a USD axis: "$10", "$0.5", "$0.001". */
export function usdTick(v: number): string {
  if (v === 0) return '$0'
  if (v >= 1) return `$${Number(v.toPrecision(3)).toLocaleString('en-US')}`
  const s = String(Number(v.toPrecision(2)))
  return s.includes('e') ? `$${v.toExponential(0)}` : `$${s}`
}

/** A tick of a seconds axis: "0.25 s", "10 s". */
export function secondsTick(v: number): string {
  const s = String(Number(v.toPrecision(3)))
  return `${s.includes('e') ? v.toExponential(0) : s} s`
}

export function costAxisTitle(axis: CostAxis, scale: AxisScale): string {
  const base = axis === 'cost' ? 'Cost per 1,000 answers (USD)' : 'Mean time per answer (seconds)'
  return `${base}${scale.kind === 'log' ? ', log scale' : ''} — further left is ${axis === 'cost' ? 'cheaper' : 'faster'}`
}
export const WIN_RATE_TITLE = 'Mean win rate (0–1, higher is better)'

export function costScale(points: readonly CostPoint[], axis: CostAxis): AxisScale {
  return dataAxis(
    axis === 'cost' ? points.flatMap((p) => [p.modelUsd, p.totalUsd]) : points.map((p) => p.x),
    // Costs and times are amounts: from 0 on a linear axis, so the jury's share is drawn to scale.
    { nonNegative: true, zeroBased: true },
  )
}
