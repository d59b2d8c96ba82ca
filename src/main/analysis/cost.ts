import type { CostAmount } from '../../shared/api/leaderboard'

/**
 * Cost from actual token counts and a price per 1M tokens per model key. Unknown is never 0: a
 * response without token counts, or tokens of a model without a price, make the amount unknown
 * (`usd: null`) while `knownUsd` keeps what could be priced, a lower bound.
 */

export interface Price {
  inputPerMTok: number
  outputPerMTok: number
}

/** Token usage of one model key: sums over the responses that report both counts. */
export interface TokenUsage {
  modelKey: string
  responses: number
  inputTokens: number
  outputTokens: number
  /** Responses (or verdicts) without token counts. */
  missingTokens: number
}

export const NO_COST: CostAmount = {
  usd: 0,
  knownUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  responses: 0,
  missingTokens: 0,
  unpriced: [],
}

export function tokensUsd(inputTokens: number, outputTokens: number, price: Price): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000
}

/** The cost of one model key's usage at its price (undefined: no price). */
export function usageCost(usage: TokenUsage, price: Price | undefined): CostAmount {
  const charged = usage.inputTokens + usage.outputTokens > 0 || usage.missingTokens > 0
  const unpriced = price === undefined && charged ? [usage.modelKey] : []
  const knownUsd = price ? tokensUsd(usage.inputTokens, usage.outputTokens, price) : 0
  return {
    usd: usage.missingTokens > 0 || unpriced.length > 0 ? null : knownUsd,
    knownUsd,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    responses: usage.responses,
    missingTokens: usage.missingTokens,
    unpriced,
  }
}

/** Sum of amounts: unknown as soon as one part is unknown. */
export function addCosts(amounts: readonly CostAmount[]): CostAmount {
  let out: CostAmount = { ...NO_COST, unpriced: [] }
  for (const a of amounts)
    out = {
      usd: out.usd === null || a.usd === null ? null : out.usd + a.usd,
      knownUsd: out.knownUsd + a.knownUsd,
      inputTokens: out.inputTokens + a.inputTokens,
      outputTokens: out.outputTokens + a.outputTokens,
      responses: out.responses + a.responses,
      missingTokens: out.missingTokens + a.missingTokens,
      unpriced: [...new Set([...out.unpriced, ...a.unpriced])].sort(),
    }
  return out
}

/** A local model's cost: GPU time (the measured generation time) at a price per GPU-hour. */
export function gpuTimeUsd(generationMs: number, usdPerGpuHour: number): number {
  return (generationMs / 3_600_000) * usdPerGpuHour
}
