import type { CostAmount, LeaderboardRow } from '../../../shared/api/leaderboard'
import { gpuTimeUsd } from '../../analysis/cost'
import { paretoFrontier } from '../../analysis/pareto'
import type { ReportInputs } from '../inputs'

/** One model's cost figures: model and jury apart, local models by GPU time when a rate is given. */
export interface ModelCost {
  modelKey: string
  answers: number
  /** Token-priced cost of the model's answers (null: unknown). */
  modelUsd: number | null
  /** GPU time × rate for a local model (null: not local, or no rate given). */
  gpuUsd: number | null
  generationHours: number
  juryUsd: number | null
  /** The model's own cost (GPU time when known, else tokens) per 1,000 answers: what using it costs. */
  per1000: number | null
  /** The jury's cost of scoring them, per 1,000 answers (an evaluation cost, not a cost of use). */
  juryPer1000: number | null
  local: boolean
  onFrontier: boolean
  macro: number | null
}

/** Model keys served by a local endpoint (Ollama) in the runs' manifests. */
export function localModels(x: Pick<ReportInputs, 'manifests'>): Set<string> {
  const out = new Set<string>()
  for (const m of x.manifests)
    for (const model of m.models) if (model.endpointKind === 'ollama') out.add(model.pool)
  return out
}

const usd = (a: CostAmount) => a.usd

function generationMs(x: ReportInputs, modelKey: string): number {
  return x.leaderboard.cells
    .filter((c) => c.modelKey === modelKey && c.runtimeMs !== null)
    .reduce((s, c) => s + (c.runtimeMs ?? 0) * c.cost.model.responses, 0)
}

function modelCost(x: ReportInputs, row: LeaderboardRow, local: boolean): Omit<ModelCost, 'onFrontier'> {
  const answers = row.cost.model.responses
  const ms = generationMs(x, row.modelKey)
  const rate = x.options.gpuHourUsd
  const gpuUsd = local && rate !== undefined ? gpuTimeUsd(ms, rate) : null
  const own = gpuUsd ?? usd(row.cost.model)
  const jury = usd(row.cost.jury)
  return {
    modelKey: row.modelKey,
    answers,
    modelUsd: usd(row.cost.model),
    gpuUsd,
    generationHours: ms / 3_600_000,
    juryUsd: jury,
    per1000: own !== null && answers > 0 ? (own / answers) * 1000 : null,
    juryPer1000: jury !== null && answers > 0 ? (jury / answers) * 1000 : null,
    local,
    macro: row.macro.mean,
  }
}

/** Cost figures of every model of the leaderboard, with the Pareto frontier marked. */
export function modelCosts(x: ReportInputs): ModelCost[] {
  const local = localModels(x)
  const rows = x.leaderboard.rows.map((r) => modelCost(x, r, local.has(r.modelKey)))
  const frontier = paretoFrontier(rows.map((r) => ({ key: r.modelKey, cost: r.per1000, score: r.macro })))
  return rows.map((r) => ({ ...r, onFrontier: frontier.has(r.modelKey) }))
}
