import { z } from 'zod'

// Channels of the scoring pass over a run: MedHELM's metrics, the BERTScore-style similarity and
// the LLM jury (every judge × criterion vote kept), judge agreement and unscored counts.
// Combined in ./contract.ts.

/** A model key '<endpoint>/<model>' (model names may contain '/'). */
export const ModelKey = z
  .string()
  .trim()
  .min(3)
  .max(300)
  .regex(/^[^/\s]+\/\S.*$/, 'write a model key as <endpoint>/<model>, e.g. ollama/llama3.1:8b')

/** MedHELM's jury has three judges; WardEval takes 1 to this many. */
export const MAX_JUDGES = 12
export const DEFAULT_JURY_SIZE = 3

const JudgeList = z
  .array(ModelKey)
  .max(MAX_JUDGES)
  .refine((keys) => new Set(keys).size === keys.length, 'a judge is listed twice')

/** Stored defaults of the scoring pass (settings table). */
export const ScoringSettings = z
  .object({
    /** The jury: model keys of the judges, any mix of endpoints. */
    judges: JudgeList,
    /** Ollama embedding model for the BERTScore-style similarity; null: not configured. */
    embeddingModel: ModelKey.nullable(),
    /**
     * Self-preference guard: for each evaluated model, leave the judges of its own family out of
     * its instances' jury score (the mean of the remaining judges; each score records who was left
     * out). Their votes are still asked for and kept, for the bias report.
     */
    excludeSameFamily: z.boolean().default(false),
  })
  .strict()
export type ScoringSettings = z.infer<typeof ScoringSettings>
export type ScoringSettingsInput = z.input<typeof ScoringSettings>

export const ScoreRunInput = z
  .object({
    runId: z.number().int().positive(),
    /** Judges for this pass; absent: the stored settings. */
    judges: JudgeList.optional(),
    /** Embedding model for this pass; absent: the stored setting; null: none. */
    embeddingModel: ModelKey.nullable().optional(),
    /** SQLite file EHRSQL queries run against (read-only); absent: EHRSQL is recorded as unavailable. */
    sqlDatabase: z.string().min(1).max(4096).optional(),
  })
  .strict()
export type ScoreRunInput = z.input<typeof ScoreRunInput>

export const UnscoredBy = z.object({
  no_votes: z.number().int(),
  all_votes_failed: z.number().int(),
  empty_response: z.number().int(),
  all_judges_same_family: z.number().int().default(0),
})

/** One metric of one benchmark × model. */
export const MetricSummary = z.object({
  metric: z.string(),
  main: z.boolean(),
  /** Completed run items scored with a value. */
  ok: z.number().int(),
  failed: z.number().int(),
  unscored: z.number().int(),
  /** Completed run items with no result for this metric yet (run `score`). */
  missing: z.number().int(),
  /** Mean over items with a value (jury: 1–5). */
  mean: z.number().nullable(),
  /** Jury only: (mean − 1) / 4; other metrics: null (already 0–1). */
  normalized: z.number().nullable(),
  /** Jury only: unscored instances by reason. */
  unscoredBy: UnscoredBy.nullable(),
})
export type MetricSummary = z.infer<typeof MetricSummary>

export const BenchmarkModelScores = z.object({
  benchmarkId: z.string(),
  benchmarkName: z.string(),
  modelKey: z.string(),
  /** Completed run items (responses) of this benchmark × model. */
  items: z.number().int(),
  metrics: z.array(MetricSummary),
})
export type BenchmarkModelScores = z.infer<typeof BenchmarkModelScores>

export const JudgeStats = z.object({
  judge: z.string(),
  votes: z.number().int(),
  failed: z.number().int(),
  failedShare: z.number(),
  meanScore: z.number().nullable(),
})

export const JuryAgreement = z.object({
  votes: z.number().int(),
  failed: z.number().int(),
  failedShare: z.number().nullable(),
  judges: z.array(JudgeStats),
  comparableInstances: z.number().int(),
  /** Mean over instances of (highest − lowest judge mean): 0 = the judges agree, up to 4. */
  meanRange: z.number().nullable(),
  meanAbsDiff: z.number().nullable(),
  pairs: z.array(
    z.object({
      judges: z.tuple([z.string(), z.string()]),
      instances: z.number().int(),
      meanAbsDiff: z.number().nullable(),
    }),
  ),
  exactAgreement: z.number().nullable(),
})
export type JuryAgreement = z.infer<typeof JuryAgreement>

export const BenchmarkAgreement = z.object({
  benchmarkId: z.string(),
  benchmarkName: z.string(),
  /** Run items of this benchmark whose jury score is unscored. */
  unscored: z.number().int(),
  /** Run items with a jury score. */
  scored: z.number().int(),
  agreement: JuryAgreement,
})
export type BenchmarkAgreement = z.infer<typeof BenchmarkAgreement>

export const RunScoringReport = z.object({
  runId: z.number().int(),
  rows: z.array(BenchmarkModelScores),
  /** One entry per benchmark with a jury metric. */
  agreement: z.array(BenchmarkAgreement),
})
export type RunScoringReport = z.infer<typeof RunScoringReport>

/** What one scoring pass did. */
export const ScorePassStats = z.object({
  /** Completed run items looked at. */
  items: z.number().int(),
  judgeRequests: z.number().int(),
  embeddingRequests: z.number().int(),
  metricRowsWritten: z.number().int(),
  votesWritten: z.number().int(),
  /** Judges of this pass. */
  judges: z.array(z.string()),
  embeddingModel: z.string().nullable(),
  warnings: z.array(z.string()),
})
export type ScorePassStats = z.infer<typeof ScorePassStats>

export const ScorePassResult = RunScoringReport.extend({ pass: ScorePassStats })
export type ScorePassResult = z.infer<typeof ScorePassResult>

export const JuryVote = z.object({
  judge: z.string(),
  judgeDigest: z.string().nullable(),
  criterion: z.string(),
  score: z.number().int().nullable(),
  explanation: z.string().nullable(),
  status: z.enum(['valid', 'failed']),
  /** The judge's last answer, kept for failed votes. */
  rawText: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
})
export type JuryVote = z.infer<typeof JuryVote>

export const ItemMetricScore = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  status: z.enum(['ok', 'failed', 'unscored']),
  details: z.record(z.string(), z.unknown()),
})
export type ItemMetricScore = z.infer<typeof ItemMetricScore>

export const InstanceScores = z.object({
  runItemId: z.number().int(),
  runId: z.number().int(),
  benchmarkId: z.string(),
  instanceId: z.string(),
  modelKey: z.string(),
  itemStatus: z.enum(['pending', 'done', 'failed']),
  /** The benchmark's jury criteria (empty when it has no jury metric). */
  criteria: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
  /** Judges with a vote on this item, sorted. */
  judges: z.array(z.string()),
  votes: z.array(JuryVote),
  /** Every metric row of the item, the jury's included. */
  metrics: z.array(ItemMetricScore),
  jury: z.object({
    state: z.enum(['scored', 'unscored', 'not_scored_yet', 'no_jury']),
    mean: z.number().nullable(),
    normalized: z.number().nullable(),
    validVotes: z.number().int(),
    failedVotes: z.number().int(),
    reason: z.string().nullable(),
  }),
})
export type InstanceScores = z.infer<typeof InstanceScores>

export const ScoreJobStarted = z.object({ runId: z.number().int(), jobId: z.string() })

/** One recorded scoring pass of a run (table scoring_passes). */
export const ScoringPass = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  judges: z.array(z.string()),
  embeddingModel: z.string().nullable(),
  /** 'running' with no live job: the process scoring it stopped (or another process scores it). */
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  errorCode: z.string().nullable(),
  /** The outcome in words; for a failure, why (judge, endpoint, the server's answer). */
  message: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
})
export type ScoringPass = z.infer<typeof ScoringPass>

export const ScoringPasses = z.object({
  /** Newest first. */
  passes: z.array(ScoringPass),
  /** The run's failed votes by judge and reason, most first. */
  failedVotes: z.array(z.object({ judge: z.string(), reason: z.string(), votes: z.number().int() })),
})
export type ScoringPasses = z.infer<typeof ScoringPasses>

const RunIdInput = z.object({ runId: z.number().int().positive() }).strict()

export const juryContract = {
  'jury:settings': { input: z.undefined(), output: ScoringSettings },
  'jury:settings-set': { input: ScoringSettings, output: ScoringSettings },
  /**
   * Starts a scoring pass in the background (metrics, embedding similarity, jury); progress follows
   * as `job:progress` (kind 'score'); the finished pass's numbers come from `jury:report`.
   */
  'jury:score-run': { input: ScoreRunInput, output: ScoreJobStarted },
  /** Per benchmark × model: metric results and unscored counts; per benchmark: judge agreement. */
  /** Stops a running pass; what was scored is kept and a later pass continues from there. */
  'jury:cancel-score': { input: RunIdInput, output: z.object({ cancelled: z.boolean() }) },
  'jury:report': { input: RunIdInput, output: RunScoringReport },
  'jury:agreement': { input: RunIdInput, output: z.array(BenchmarkAgreement) },
  /** The run's recorded scoring passes (why the last one failed) and its failed votes by reason. */
  'jury:passes': { input: RunIdInput, output: ScoringPasses },
  /** One run item: each judge × criterion vote next to the metric scores. */
  'jury:instance-scores': {
    input: z.object({ runItemId: z.number().int().positive() }).strict(),
    output: InstanceScores,
  },
} as const

/**
 * Which judges the jury settings left out of an instance's jury score and why (details of its
 * 'jury' metric row: `excludedJudges`, `excludedBecause`), or '' when none. Used by the CLI and
 * the screen alike.
 */
export function excludedJudgesText(details: Record<string, unknown> | undefined): string {
  const judges = details?.excludedJudges
  if (!Array.isArray(judges) || judges.length === 0) return ''
  const why = typeof details?.excludedBecause === 'string' ? ` (${details.excludedBecause})` : ''
  return `left out: ${judges.join(', ')}${why}`
}
