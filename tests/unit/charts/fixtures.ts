import { Leaderboard, type CostAmount, type LeaderboardRow } from '../../../src/shared/api/leaderboard'
import { AuditSummary, type DestinationSummary } from '../../../src/shared/api/models'
import type { ReviewAgreement } from '../../../src/shared/api/review'

/** Contract-valid objects (parsed by the contract's own schemas) for the chart tests. */

const amount = (usd: number | null, responses: number): CostAmount => ({
  usd,
  knownUsd: usd ?? 0,
  inputTokens: 1000,
  outputTokens: 100,
  responses,
  missingTokens: 0,
  unpriced: usd === null ? ['x'] : [],
})

export interface ModelSpec {
  model: string
  winRate: number | null
  /** USD per 1,000 answers. */
  modelUsd: number | null
  juryUsd: number
  runtimeMs: number | null
}

const ANSWERS = 200

function row(s: ModelSpec, i: number): LeaderboardRow {
  const per = (usd: number | null) => (usd === null ? null : (usd * ANSWERS) / 1000)
  const total = s.modelUsd === null ? null : per(s.modelUsd + s.juryUsd)
  return {
    rank: i + 1,
    modelKey: s.model,
    winRate: s.winRate,
    winRateColumns: 2,
    macro: { mean: 0.5, sd: 0.1, n: 2 },
    categories: [],
    subcategories: [],
    runtime: { meanMs: s.runtimeMs, winRate: null },
    cost: {
      model: amount(per(s.modelUsd), ANSWERS),
      jury: amount(per(s.juryUsd), ANSWERS),
      total: amount(total, ANSWERS),
    },
    benchmarks: 2,
    scoredBenchmarks: 2,
    winRateCi: null,
    macroCi: null,
    rankInterval: { lo: 1, hi: 3 },
    tieGroup: 1,
    notSeparableFrom: [],
  }
}

export function leaderboard(models: ModelSpec[]): Leaderboard {
  return Leaderboard.parse({
    runIds: null,
    categoryId: null,
    columns: [],
    rows: models.map(row),
    cells: [],
    runs: [],
    categories: [],
    prices: [],
    notes: [],
    calibration: null,
    statistics: {
      view: 'paired',
      resamples: 1000,
      permutations: 1000,
      seed: 0,
      level: 0.95,
      adjust: 'holm',
      adjustName: 'Holm',
      droppedInstances: 0,
    },
    pairwise: [],
  })
}

/** Five models whose costs span five orders of magnitude, one with a long name. */
export const MODELS: ModelSpec[] = [
  {
    model: 'ollama/llama3.1:70b-instruct-q4_K_M-very-long-tag',
    winRate: 0.8,
    modelUsd: 0.5,
    juryUsd: 0.3,
    runtimeMs: 3000,
  },
  { model: 'ollama/beta', winRate: 0.6, modelUsd: 0.02, juryUsd: 0.01, runtimeMs: 1200 },
  { model: 'openai/gpt-4o', winRate: 0.9, modelUsd: 12, juryUsd: 0.3, runtimeMs: 2400 },
  { model: 'ollama/gamma', winRate: 0.4, modelUsd: 0.001, juryUsd: 0.001, runtimeMs: 900 },
  { model: 'ollama/delta', winRate: 0.55, modelUsd: 0.003, juryUsd: 0.002, runtimeMs: 1600 },
]

const dest = (host: string, loopback: boolean, sent: number, received: number): DestinationSummary => ({
  host,
  port: loopback ? 11434 : 8000,
  loopback,
  requests: 3,
  refusals: 0,
  failures: 0,
  unfinished: 0,
  bytesSent: sent,
  bytesReceived: received,
  firstAt: '2026-12-01T00:00:00.000Z',
  lastAt: '2026-12-01T01:00:00.000Z',
})

/** 1 KB off the machine beside 100 MB on loopback. */
export const AUDIT: AuditSummary = AuditSummary.parse({
  destinations: [
    dest('127.0.0.1', true, 100 * 1024 * 1024, 50 * 1024 * 1024),
    dest('hosp-vllm.internal.example.org', false, 1024, 3000),
  ],
  byPurpose: [],
  totalRows: 6,
})

export function agreement(setId: number): ReviewAgreement {
  const points = [
    { jury: 3.2, clinicians: 3.5 },
    { jury: 4.1, clinicians: 4.5 },
    { jury: 1.5, clinicians: 2 },
    { jury: 5, clinicians: 4.7 },
  ]
  return { setId, points, fit: { slope: 0.9, intercept: 0.5 } } as unknown as ReviewAgreement
}
