import { z } from 'zod'
import { ModelKey } from './jury'

// Channels of the leaderboard feature (mean win rate, macro-averages, cost). Combined in ./contract.ts.
// How the numbers are computed follows MedHELM (HELM's summarize.py and the paper's analysis
// scripts); see src/main/analysis/.

/** What the leaderboard is computed over. */
export const LeaderboardQuery = z
  .object({
    /**
     * Runs to take the results from; for each model × benchmark the latest of these runs that
     * has scores is used. Absent: the latest scored run of every model × benchmark in the database.
     */
    runIds: z.array(z.number().int().positive()).min(1).max(500).optional(),
    /** Only this taxonomy category's benchmarks (its own mean win rate, as MedHELM's category pages). */
    categoryId: z.string().trim().min(1).max(100).optional(),
    /**
     * Show calibrated jury scores beside the raw ones, from this stored calibration (or the newest):
     * see review calibrate. Ranks, win rates and macro-averages stay on the raw scores.
     */
    calibration: z.union([z.literal('latest'), z.number().int().positive()]).optional(),
    /**
     * true: each model's own instances (unpaired, labelled as such). Default: paired — on each
     * benchmark only the instances every compared model has scored.
     */
    unpaired: z.boolean().optional(),
    /** Multiplicity adjustment of the pairwise p-values: Holm (default) or Benjamini–Hochberg. */
    adjust: z.enum(['holm', 'bh']).optional(),
    /** Seed of the bootstrap and permutation draws (same data and seed → same intervals). */
    seed: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 31)
      .optional(),
    /** Follow the computation's progress through `job:progress` events with this id. */
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict()
export type LeaderboardQuery = z.input<typeof LeaderboardQuery>

/** Instances of one model × benchmark cell, by what happened to them. */
export const CellCounts = z.object({
  /** Run items of the model on the benchmark in that run. */
  total: z.number().int().nonnegative(),
  /** Scored 'ok' on the main metric: the only ones the mean is taken over. */
  scored: z.number().int().nonnegative(),
  /** Unscored (e.g. no valid jury vote, empty response). */
  unscored: z.number().int().nonnegative(),
  /** Scoring failed, or the model never answered. */
  failed: z.number().int().nonnegative(),
  /** No result yet: still pending, or answered but not scored yet (run `score`). */
  missing: z.number().int().nonnegative(),
})
export type CellCounts = z.infer<typeof CellCounts>

/**
 * A cost in USD from actual token counts. `usd` is null when it is unknown — some responses have
 * no token counts or some model has no price — never 0 for "unknown".
 */
export const CostAmount = z.object({
  usd: z.number().nonnegative().nullable(),
  /** Cost of the responses that have token counts and a price: a lower bound when `usd` is null. */
  knownUsd: z.number().nonnegative(),
  /** Tokens of the responses that report both counts. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Responses counted (model answers, or judge answers). */
  responses: z.number().int().nonnegative(),
  /** Responses (or judge verdicts) whose token counts are not recorded. */
  missingTokens: z.number().int().nonnegative(),
  /** Model keys that have tokens to charge but no price. */
  unpriced: z.array(z.string()),
})
export type CostAmount = z.infer<typeof CostAmount>

export const CellCost = z.object({
  /** The evaluated model's answers (run requests). */
  model: CostAmount,
  /** The jury's answers about them (judge requests), each judge at its own price. */
  jury: CostAmount,
})
export type CellCost = z.infer<typeof CellCost>

/** A 95% interval. */
export const Interval = z.object({ lo: z.number(), hi: z.number() })
export type Interval = z.infer<typeof Interval>

/** Which instances a column compares, and what was left out to compare like with like. */
export const ColumnPairing = z.object({
  /** Instances every model of the column has scored (the paired n); null in the unpaired view. */
  common: z.number().int().nonnegative().nullable(),
  /** The models' own instance sets differ (some instances are dropped in the paired view). */
  mixed: z.boolean(),
  /** Per model: its scored instances that are not common to all (left out in the paired view). */
  dropped: z.array(z.object({ modelKey: z.string(), dropped: z.number().int().nonnegative() })),
  /** 0/1 scores only: pairs are tested with McNemar's exact test (else a sign-flip permutation test). */
  binary: z.boolean(),
})
export type ColumnPairing = z.infer<typeof ColumnPairing>

/** One column: a benchmark's main metric. */
export const LeaderboardColumn = z.object({
  /** `<benchmarkId>:<metric>` (a benchmark whose versions have different main metrics has one column per metric). */
  key: z.string(),
  benchmarkId: z.string(),
  benchmarkName: z.string(),
  metric: z.string(),
  /** The metric's own scale: jury 1–5, everything else 0–1. */
  scale: z.enum(['0-1', '1-5']),
  /** True when the column was rescaled from 1–5 to 0–1 (SOM `rescale_1_to_5`). */
  rescaled: z.boolean(),
  /** Benchmark versions the cells come from (more than one: models were scored on different versions). */
  versions: z.array(z.string()),
  categoryId: z.string().nullable(),
  categoryName: z.string(),
  subcategoryId: z.string().nullable(),
  subcategoryName: z.string(),
  pairing: ColumnPairing,
})
export type LeaderboardColumn = z.infer<typeof LeaderboardColumn>

export const LeaderboardCell = z.object({
  modelKey: z.string(),
  columnKey: z.string(),
  runId: z.number().int(),
  benchmarkVersion: z.string(),
  /** Mean of the main metric over the instances scored 'ok' (jury: 1–5); null when none is. */
  value: z.number().nullable(),
  /** `value` on 0–1 (jury rescaled); what the macro-averages and the heat map use. */
  normalized: z.number().nullable(),
  counts: CellCounts,
  /** scored < total: some instances have no score. */
  partial: z.boolean(),
  /**
   * With a calibration on a jury column of its benchmarks: the mean over the scored instances of
   * each instance's calibrated jury score (1–5) and on 0–1. Never replaces `value`.
   */
  calibrated: z
    .object({ value: z.number(), normalized: z.number(), instances: z.number().int().nonnegative() })
    .nullable()
    .default(null),
  /** Mean inference runtime per answer (responses.latency_ms); null without responses. */
  runtimeMs: z.number().nullable(),
  cost: CellCost,
  /** Instances `value` is the mean of (the common instances in the paired view). */
  n: z.number().int().nonnegative(),
  /** 95% percentile-bootstrap interval of `value` (null without 2 instances). */
  ci: Interval.nullable(),
  /** The interval on 0–1 is wider than 0.2: too few instances to tell models apart. */
  wide: z.boolean(),
  /** sha256 of the sorted instance ids the value is over (same hash: same instances). */
  instanceSetHash: z.string().nullable(),
})
export type LeaderboardCell = z.infer<typeof LeaderboardCell>

/** The cells of a leaderboard by model and column: `cellAt(model, columnKey)`. */
export function cellLookup(
  cells: readonly LeaderboardCell[],
): (modelKey: string, columnKey: string) => LeaderboardCell | undefined {
  const at = new Map(cells.map((c) => [`${c.modelKey}\u0000${c.columnKey}`, c]))
  return (modelKey, columnKey) => at.get(`${modelKey}\u0000${columnKey}`)
}

/** Mean and sample SD of normalised benchmark scores (macro-average over benchmarks). */
export const MacroAverage = z.object({
  mean: z.number().nullable(),
  /** Sample SD (n − 1); null with fewer than 2 benchmarks. */
  sd: z.number().nullable(),
  /** Benchmarks with a score. */
  n: z.number().int().nonnegative(),
})
export type MacroAverage = z.infer<typeof MacroAverage>

export const GroupScore = z.object({
  id: z.string(),
  name: z.string(),
  /** Mean win rate over this group's columns only (null: no column with 2+ models). */
  winRate: z.number().nullable(),
  macro: MacroAverage,
  /** 95% stratified-bootstrap interval of the macro-average. */
  macroCi: Interval.nullable(),
})
export type GroupScore = z.infer<typeof GroupScore>

export const TotalCost = z.object({ model: CostAmount, jury: CostAmount, total: CostAmount })
export type TotalCost = z.infer<typeof TotalCost>

export const LeaderboardRow = z.object({
  rank: z.number().int().positive(),
  modelKey: z.string(),
  /** HELM mean win rate over the columns (ties half a win; missing cells skipped). */
  winRate: z.number().nullable(),
  /** Columns this model's win rate averages over. */
  winRateColumns: z.number().int().nonnegative(),
  /** Macro-average of the normalised benchmark scores. */
  macro: MacroAverage,
  categories: z.array(GroupScore),
  subcategories: z.array(GroupScore.extend({ categoryId: z.string().nullable() })),
  runtime: z.object({
    /** Unweighted mean over the model's benchmarks of their mean runtime per answer. */
    meanMs: z.number().nullable(),
    /** Mean win rate over the per-benchmark runtimes (lower is better). */
    winRate: z.number().nullable(),
  }),
  cost: TotalCost,
  /** Benchmarks with a cell / with a value. */
  benchmarks: z.number().int().nonnegative(),
  scoredBenchmarks: z.number().int().nonnegative(),
  /** 95% bootstrap interval of the mean win rate (instances resampled in every benchmark). */
  winRateCi: Interval.nullable(),
  /** 95% stratified-bootstrap interval of the macro-average. */
  macroCi: Interval.nullable(),
  /** 2.5–97.5% range of the model's rank over the bootstrap resamples. */
  rankInterval: z.object({ lo: z.number().int(), hi: z.number().int() }),
  /** Models whose rank intervals overlap (chained) share a group: not separable on this data. */
  tieGroup: z.number().int().positive(),
  /** Models whose rank interval overlaps this one's. */
  notSeparableFrom: z.array(z.string()),
})
export type LeaderboardRow = z.infer<typeof LeaderboardRow>

export const LeaderboardRun = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  createdAt: z.string(),
  models: z.array(z.string()),
  benchmarks: z.array(z.string()),
  /** Some cell of the leaderboard comes from this run. */
  used: z.boolean(),
})
export type LeaderboardRun = z.infer<typeof LeaderboardRun>

export const LeaderboardCategory = z.object({
  id: z.string(),
  name: z.string(),
  /** Columns of the unfiltered leaderboard in this category. */
  columns: z.number().int().nonnegative(),
})

export const ModelPrice = z.object({
  modelKey: z.string(),
  /** USD per 1M input (prompt) tokens. */
  inputPerMTok: z.number().nonnegative(),
  /** USD per 1M output (completion) tokens. */
  outputPerMTok: z.number().nonnegative(),
  updatedAt: z.string(),
})
export type ModelPrice = z.infer<typeof ModelPrice>

/** One comparison of two models, on a benchmark or over a category's benchmarks. */
export const PairwiseComparison = z.object({
  scope: z.enum(['benchmark', 'category']),
  /** Column key (benchmark) or category id. */
  id: z.string(),
  name: z.string(),
  modelA: z.string(),
  modelB: z.string(),
  /** Instances compared (summed over the category's benchmarks). */
  n: z.number().int().nonnegative(),
  meanA: z.number(),
  meanB: z.number(),
  /** meanA − meanB (0–1 scale for categories; the metric's own scale for a benchmark). */
  difference: z.number(),
  ci: Interval,
  test: z.enum(['mcnemar-exact', 'sign-flip-permutation', 'stratified-sign-flip-permutation', 'none']),
  /** The test in words, e.g. "exact McNemar". */
  testName: z.string(),
  /** Raw two-sided p; null when no test is made (the unpaired view). */
  p: z.number().nullable(),
  /** p adjusted over every comparison listed, by `adjustMethod`. */
  pAdjusted: z.number().nullable(),
  adjustMethod: z.string(),
  significant: z.boolean(),
  /** A plain sentence for significant pairs. */
  sentence: z.string().nullable(),
})
export type PairwiseComparison = z.infer<typeof PairwiseComparison>

/** How the intervals and tests were computed. */
export const StatisticsInfo = z.object({
  view: z.enum(['paired', 'unpaired']),
  resamples: z.number().int().positive(),
  permutations: z.number().int().positive(),
  seed: z.number().int(),
  level: z.number(),
  adjust: z.enum(['holm', 'bh']),
  adjustName: z.string(),
  /** Instances dropped in the paired view, summed over cells (0 in the unpaired view). */
  droppedInstances: z.number().int().nonnegative(),
})
export type StatisticsInfo = z.infer<typeof StatisticsInfo>

export const Leaderboard = z.object({
  runIds: z.array(z.number().int()).nullable(),
  categoryId: z.string().nullable(),
  /** The columns shown (the category's only, with categoryId). */
  columns: z.array(LeaderboardColumn),
  /** Ranked by mean win rate, then macro-average, then model key. */
  rows: z.array(LeaderboardRow),
  cells: z.array(LeaderboardCell),
  /** Runs with scores, for choosing; `used` marks those the cells come from. */
  runs: z.array(LeaderboardRun),
  categories: z.array(LeaderboardCategory),
  prices: z.array(ModelPrice),
  /** Caveats about these numbers (missing token counts, mixed versions…). */
  notes: z.array(z.string()),
  /** The calibration applied to `cells[].calibrated`, with its label; null without one. */
  calibration: z
    .object({
      id: z.number().int(),
      label: z.string(),
      setIds: z.array(z.number().int()),
      benchmarks: z.array(z.string()),
      /** Columns it applies to. */
      columns: z.array(z.string()),
    })
    .nullable()
    .default(null),
  statistics: StatisticsInfo,
  /** Every pair of models on every benchmark and every category shown. */
  pairwise: z.array(PairwiseComparison),
})
export type Leaderboard = z.infer<typeof Leaderboard>

const MAX_PRICE = 1_000_000

export const SetPriceInput = z
  .object({
    modelKey: ModelKey,
    inputPerMTok: z.number().finite().nonnegative().max(MAX_PRICE),
    outputPerMTok: z.number().finite().nonnegative().max(MAX_PRICE),
  })
  .strict()
export type SetPriceInput = z.input<typeof SetPriceInput>

const share = z.number().gt(0).lt(1)
/** McNemar sample size for a difference, or (with n) the smallest detectable difference. */
export const PowerQuery = z
  .object({
    n: z.number().int().positive().max(10_000_000).optional(),
    difference: share.optional(),
    baseline: z.number().min(0).max(1).optional(),
    /** Absent (and no baseline): estimated from earlier runs in this database. */
    discordance: z.number().gt(0).max(1).optional(),
    power: share.optional(),
    alpha: share.optional(),
  })
  .strict()
export type PowerQuery = z.input<typeof PowerQuery>

export const PowerResult = z.object({
  alpha: z.number(),
  power: z.number(),
  baseline: z.number().nullable(),
  discordance: z.number().nullable(),
  discordanceSource: z.enum(['given', 'independent errors', 'earlier runs']),
  difference: z.number().nullable(),
  n: z.number().nullable(),
  nExact: z.number().nullable(),
  detectableDifference: z.number().nullable(),
  sentence: z.string(),
})
export type PowerResult = z.infer<typeof PowerResult>

export const leaderboardContract = {
  /** Power and sample size of a paired comparison (McNemar, Connor 1987). */
  'leaderboard:power': { input: PowerQuery, output: PowerResult },
  /**
   * Mean win rate, macro-averages, runtime and cost per model over the chosen runs, with intervals,
   * rank intervals and pairwise tests; with a jobId, the bootstrap's progress comes as `job:progress`.
   */
  'leaderboard:get': { input: LeaderboardQuery, output: Leaderboard },
  /** Prices per 1M tokens per model key (e.g. the hospital's GPU charge-back). */
  'leaderboard:prices': { input: z.undefined(), output: z.array(ModelPrice) },
  'leaderboard:price-set': { input: SetPriceInput, output: ModelPrice },
  'leaderboard:price-remove': {
    input: z.object({ modelKey: ModelKey }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
} as const

export const leaderboardEvents = {} as const

/** A cost as words: "$1.23", or why it is unknown (with what is known so far). Used by the CLI and the screen. */
export function costText(a: CostAmount): string {
  if (a.usd !== null) return formatUsd(a.usd)
  const known = a.knownUsd > 0 ? `≥ ${formatUsd(a.knownUsd)}, ` : ''
  return `unknown (${known}${costReason(a)})`
}

/** Why a cost is unknown: answers without token counts, models without a price. */
export function costReason(a: CostAmount): string {
  const why: string[] = []
  if (a.missingTokens > 0) why.push(`${a.missingTokens} without token counts`)
  if (a.unpriced.length > 0) why.push(`no price for ${a.unpriced.join(', ')}`)
  return why.join('; ')
}

/** A cost in a few characters: the amount, a lower bound ("≥ $0.12") or "unknown" (costText says why). */
export function costBrief(a: CostAmount): string {
  if (a.usd !== null) return formatUsd(a.usd)
  return a.knownUsd > 0 ? `≥ ${formatUsd(a.knownUsd)}, rest unknown` : 'unknown'
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0'
  // Cents from $1 up; below that three significant digits (a local model's cost is often < 1 cent).
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${Number(usd.toPrecision(3))}`
}
