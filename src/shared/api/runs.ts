import { z } from 'zod'

// Channels of the runs feature: evaluation runs (models × benchmarks), their progress, their
// per-instance results and their reproducibility manifest. Combined in ./contract.ts.

export const RUN_STATUSES = ['pending', 'running', 'paused', 'completed', 'cancelled', 'failed'] as const
export const RunStatus = z.enum(RUN_STATUSES)
export type RunStatus = z.infer<typeof RunStatus>

export const ITEM_STATUSES = ['pending', 'done', 'failed'] as const
export const ItemStatus = z.enum(ITEM_STATUSES)
export type ItemStatus = z.infer<typeof ItemStatus>

/** Generation settings a run applies over each benchmark's own prompt settings (absent: the benchmark's). */
export const GenerationOverrides = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(131_072).optional(),
    /** Context window (Ollama num_ctx). */
    numCtx: z.number().int().min(256).max(1_048_576).optional(),
  })
  .strict()
export type GenerationOverrides = z.infer<typeof GenerationOverrides>

/** How a run executes. Stored with the run (runs.settings_json) and in its manifest. */
export const RunSettings = z
  .object({
    /** Instances per benchmark (sampled with the run's seed); null: every instance. */
    limit: z.number().int().min(1).nullable().default(null),
    /** Requests in flight per endpoint; null: each endpoint's own setting (default 4). */
    concurrency: z.number().int().min(1).max(256).nullable().default(null),
    /** Tries per instance for transient failures (refused connection, 5xx, timeout, broken answer). */
    maxAttempts: z.number().int().min(1).max(20).default(4),
    /** First retry delay; doubles each try, with full jitter. */
    backoffMs: z.number().int().min(0).max(600_000).default(500),
    /** Per-request time limit; null: the endpoint's setting. */
    timeoutMs: z.number().int().min(100).max(86_400_000).nullable().default(null),
    /** Reuse answers from the response cache (same model digest, prompt and settings). */
    useCache: z.boolean().default(true),
    generation: GenerationOverrides.default({}),
  })
  .strict()
export type RunSettings = z.infer<typeof RunSettings>

/** What the new-run form and `run` send. */
export const CreateRunInput = z
  .object({
    name: z.string().trim().max(200).default(''),
    /** Benchmark ids (their latest loaded version). */
    benchmarks: z.array(z.string().min(1)).min(1).max(200),
    /**
     * Model keys '<endpoint>/<model>'. Keys of the same model on several endpoints (same digest,
     * or joined explicitly with '+') form one pool that shares the work.
     */
    models: z.array(z.string().min(3)).min(1).max(100),
    seed: z.number().int().min(0).max(2_147_483_647).default(0),
    settings: RunSettings.default(RunSettings.parse({})),
  })
  .strict()
export type CreateRunInput = z.input<typeof CreateRunInput>
export type CreateRunParsed = z.output<typeof CreateRunInput>

export const RunCounts = z.object({
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  /** Done items answered from the response cache (nothing sent). */
  cached: z.number().int().nonnegative(),
})
export type RunCounts = z.infer<typeof RunCounts>

/** One kind of failed request (e.g. 'HTTP 500', 'timeout') and how many were sent and failed. */
export const RequestFailureCount = z.object({ kind: z.string(), count: z.number().int().positive() })
export type RequestFailureCount = z.infer<typeof RequestFailureCount>

/**
 * The model requests a run actually sent, retries included: answered, plus failed (retried or
 * given up) by kind, most frequent first. Cache hits send nothing.
 */
export const RequestCounts = z.object({
  sent: z.number().int().nonnegative(),
  answered: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  failedByKind: z.array(RequestFailureCount),
})
export type RequestCounts = z.infer<typeof RequestCounts>

export const RunSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  status: RunStatus,
  /** Recorded as running, but the process executing it is gone (crash, kill): resume it. */
  interrupted: z.boolean(),
  /** Executing in this process now. */
  active: z.boolean(),
  seed: z.number().int(),
  benchmarks: z.array(z.string()),
  models: z.array(z.string()),
  counts: RunCounts,
  requests: RequestCounts,
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})
export type RunSummary = z.infer<typeof RunSummary>

/** Progress of one benchmark × model (pool) within a run. */
export const ProgressGroup = z.object({
  benchmarkId: z.string(),
  modelKey: z.string(),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Mean of the main metric over the scored items so far (null: none scored, or not scored inline). */
  mainMetric: z.string().nullable(),
  mainMean: z.number().nullable(),
})
export type ProgressGroup = z.infer<typeof ProgressGroup>

/** `runs:progress`: sent while a run executes (throttled) and whenever its status changes. */
export const RunProgress = z.object({
  runId: z.number().int(),
  status: RunStatus,
  counts: RunCounts,
  groups: z.array(ProgressGroup),
  /** Items finished per second over the last seconds (0 when idle). */
  rate: z.number().nonnegative(),
  /** Seconds left at the current rate; null when unknown. */
  etaSeconds: z.number().nonnegative().nullable(),
  /** Failed attempts so far in this execution (retried or not). */
  errors: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** Set while the run waits for the database (another process holds its write lock): for whom. */
  waitingFor: z.string().nullable().default(null),
  at: z.string(),
})
export type RunProgress = z.infer<typeof RunProgress>

export const ManifestModel = z.object({
  key: z.string(),
  /** The model key the pool's work is recorded under (run items' model). */
  pool: z.string(),
  endpoint: z.string(),
  endpointKind: z.string(),
  baseUrl: z.string(),
  name: z.string(),
  digest: z.string().nullable(),
})

export const ManifestBenchmark = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  versionId: z.number().int(),
  taskType: z.string(),
  /** sha256 of the normalized instances, as imported. */
  contentHash: z.string(),
  /** sha256 of the prompt spec (instructions, template, output noun) the prompts were built from. */
  promptTemplateHash: z.string(),
  instanceCount: z.number().int(),
  sampled: z.number().int(),
  /** Sampled instance ids (empty when every instance was used). */
  sampledIds: z.array(z.string()),
  generation: z.object({
    temperature: z.number(),
    maxTokens: z.number().int(),
    stop: z.array(z.string()),
    numCtx: z.number().int().nullable(),
  }),
  mainMetric: z.string().nullable(),
})

/** Everything needed to say exactly what a run ran. Exportable as JSON. */
export const RunManifest = z.object({
  format: z.literal('wardeval-run-manifest/1'),
  run: z.object({ id: z.number().int(), name: z.string(), status: RunStatus }),
  app: z.object({
    name: z.string(),
    version: z.string(),
    schemaVersion: z.number().int(),
    platform: z.string(),
    node: z.string(),
  }),
  seed: z.number().int(),
  settings: RunSettings,
  models: z.array(ManifestModel),
  endpoints: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      baseUrl: z.string(),
      concurrency: z.number().int(),
      timeoutMs: z.number().int(),
    }),
  ),
  benchmarks: z.array(ManifestBenchmark),
  times: z.object({
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  }),
  counts: RunCounts.extend({
    /** Requests sent, retries included (answered + failed). */
    requestsSent: z.number().int().nonnegative(),
    /** Requests that failed (absent in manifests written before retries were counted). */
    requestsFailed: z.number().int().nonnegative().default(0),
    failedByKind: z.array(RequestFailureCount).default([]),
  }),
})
export type RunManifest = z.infer<typeof RunManifest>

export const RunDetail = RunSummary.extend({
  settings: RunSettings,
  groups: z.array(ProgressGroup),
  /** Distinct failure messages of failed items, most frequent first. */
  errors: z.array(z.object({ message: z.string(), count: z.number().int() })),
  /** Failed requests (retried or given up) by endpoint, model and kind, most frequent first. */
  failedRequests: z.array(
    z.object({ endpoint: z.string(), modelKey: z.string(), kind: z.string(), count: z.number().int() }),
  ),
  manifest: RunManifest.nullable(),
})
export type RunDetail = z.infer<typeof RunDetail>

export const ItemScore = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  status: z.enum(['ok', 'failed', 'unscored']),
  details: z.record(z.string(), z.unknown()),
})
export type ItemScore = z.infer<typeof ItemScore>

/** A similarity metric's code when no embedding model is chosen: not asked for, not failed. */
export const EMBEDDING_NOT_CONFIGURED = 'embedding_not_configured'

export const RunItemRow = z.object({
  id: z.number().int(),
  benchmarkId: z.string(),
  instanceId: z.string(),
  modelKey: z.string(),
  status: ItemStatus,
  attempts: z.number().int(),
  error: z.string().nullable(),
  /** The first characters of the answer. */
  responsePreview: z.string().nullable(),
  mainMetric: z.string().nullable(),
  score: z.number().nullable(),
  scoreStatus: z.enum(['ok', 'failed', 'unscored']).nullable(),
  /** Why the main metric has no value (its details' code, e.g. EMBEDDING_NOT_CONFIGURED); else null. */
  scoreCode: z.string().nullable().default(null),
  /** The jury's score (1–5) when the main metric is another one; null: no jury score. */
  juryScore: z.number().nullable().default(null),
  juryStatus: z.enum(['ok', 'failed', 'unscored']).nullable().default(null),
  latencyMs: z.number().nullable(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  cached: z.boolean(),
})
export type RunItemRow = z.infer<typeof RunItemRow>

export const RunItemsQuery = z
  .object({
    runId: z.number().int(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(200),
    status: ItemStatus.optional(),
    benchmarkId: z.string().optional(),
    modelKey: z.string().optional(),
  })
  .strict()

export const RunItemsPage = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(RunItemRow),
})
export type RunItemsPage = z.infer<typeof RunItemsPage>

export const RunItemDetail = RunItemRow.extend({
  prompt: z.string(),
  response: z.string().nullable(),
  references: z.array(z.string()),
  choices: z.array(z.string()).nullable(),
  scores: z.array(ItemScore),
  endpoint: z.string().nullable(),
  /** The run whose request produced the cached answer. */
  cachedFromRun: z.number().int().nullable(),
  finishedAt: z.string().nullable(),
})
export type RunItemDetail = z.infer<typeof RunItemDetail>

const RunId = z.object({ id: z.number().int() }).strict()

export const runsContract = {
  'runs:list': { input: z.undefined(), output: z.array(RunSummary) },
  'runs:get': { input: RunId, output: RunDetail },
  /** Creates the run and starts it in the background; progress follows as `runs:progress`. */
  'runs:start': { input: CreateRunInput, output: RunSummary },
  'runs:pause': { input: RunId, output: RunSummary },
  /** Continues a paused, failed or interrupted run (retrying its failed items). */
  'runs:resume': { input: RunId, output: RunSummary },
  'runs:cancel': { input: RunId, output: RunSummary },
  'runs:items': { input: RunItemsQuery, output: RunItemsPage },
  'runs:item': {
    input: z.object({ runId: z.number().int(), itemId: z.number().int() }).strict(),
    output: RunItemDetail,
  },
  /**
   * Main writes the manifest JSON and its signature by the installation key (`<file>.sig`) to the
   * exports folder next to the database, or to `file` — only a path the user chose in the save
   * dialog (app:pick-save-file) or one inside the exports folder.
   */
  'runs:export-manifest': {
    input: z.object({ id: z.number().int(), file: z.string().min(1).optional() }).strict(),
    output: z.object({ file: z.string(), signature: z.string(), fingerprint: z.string() }),
  },
} as const

export const runsEvents = {
  'runs:progress': RunProgress,
} as const
