import type {
  ProgressGroup,
  RunCounts,
  RunDetail,
  RunItemDetail,
  RunItemRow,
  RunItemsPage,
  RunManifest,
  RequestCounts,
  RequestFailureCount,
  RunSettings,
  RunStatus,
  RunSummary,
} from '../../shared/api/runs'
import { RunManifest as RunManifestSchema, RunSettings as RunSettingsSchema } from '../../shared/api/runs'
import { BenchmarkManifest } from '../../shared/benchmarks/pack'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { leaseState } from '../dispatch/lease'
import { buildPrompt } from './prompt'
import { mainMetric } from './score-inline'

/** One benchmark version as the run engine reads it. */
export interface RunBenchmark {
  versionId: number
  benchmarkId: string
  name: string
  version: string
  contentHash: string
  instanceCount: number
  manifest: BenchmarkManifest
}

export function loadBenchmarkVersion(db: Db, versionId: number): RunBenchmark {
  const row = db
    .prepare(
      `SELECT v.id, v.benchmark_id, b.name, v.version, v.content_hash, v.instance_count, v.manifest_json
       FROM benchmark_versions v JOIN benchmarks b ON b.id = v.benchmark_id WHERE v.id = ?`,
    )
    .get(versionId) as
    | {
        id: number
        benchmark_id: string
        name: string
        version: string
        content_hash: string
        instance_count: number
        manifest_json: string
      }
    | undefined
  if (!row) throw new AppError('not_found', `Benchmark version ${versionId} is no longer in this database`)
  const parsed = BenchmarkManifest.safeParse(JSON.parse(row.manifest_json))
  if (!parsed.success)
    throw new AppError(
      'bad_data',
      `benchmark ${row.benchmark_id} ${row.version}: stored manifest is invalid: ${parsed.error.issues[0]?.message ?? ''}`,
    )
  return {
    versionId: row.id,
    benchmarkId: row.benchmark_id,
    name: row.name,
    version: row.version,
    contentHash: row.content_hash,
    instanceCount: row.instance_count,
    manifest: parsed.data,
  }
}

// --- Reading --------------------------------------------------------------------------------------

interface RunRow {
  id: number
  name: string
  status: RunStatus
  settings_json: string
  seed: number
  manifest_json: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  error: string | null
  control: 'pause' | 'cancel' | null
  lease_owner: string | null
  lease_until: string | null
}

export function runRow(db: Db, id: number): RunRow {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
  if (!row) throw new AppError('not_found', `No run ${id} in this database (see \`runs\`)`)
  return row
}

export function runCounts(db: Db, runId: number): RunCounts {
  const rows = db
    .prepare('SELECT status, COUNT(*) AS n FROM run_items WHERE run_id = ? GROUP BY status')
    .all(runId) as { status: string; n: number }[]
  const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0
  const cached = db
    .prepare(
      `SELECT COUNT(*) AS n FROM run_items ri JOIN responses r ON r.id = ri.response_id JOIN requests q ON q.id = r.request_id
       WHERE ri.run_id = ? AND ri.status = 'done' AND (q.run_item_id IS NULL OR q.run_item_id <> ri.id)`,
    )
    .get(runId) as { n: number }
  return {
    total: n('pending') + n('done') + n('failed'),
    done: n('done'),
    failed: n('failed'),
    pending: n('pending'),
    cached: cached.n,
  }
}

/** Requests of the run that were answered (one per response it received). */
function requestsAnswered(db: Db, runId: number): number {
  return (
    db
      .prepare(
        'SELECT COUNT(*) AS n FROM requests q JOIN run_items ri ON ri.id = q.run_item_id WHERE ri.run_id = ?',
      )
      .get(runId) as { n: number }
  ).n
}

/** Every request the run sent, retries included, with its failures by kind. */
export function requestCounts(db: Db, runId: number): RequestCounts {
  const failedByKind = db
    .prepare(
      `SELECT kind, SUM(count) AS count FROM run_request_failures WHERE run_id = ?
       GROUP BY kind ORDER BY count DESC, kind`,
    )
    .all(runId) as RequestFailureCount[]
  const answered = requestsAnswered(db, runId)
  const failed = failedByKind.reduce((n, k) => n + k.count, 0)
  return { sent: answered + failed, answered, failed, failedByKind }
}

/**
 * Which models' items failed and why: 'ollama/llama3.2:3b ×3, last error: gpu2: HTTP 500: …'
 * (the model key of the pool, the last failure's message, which starts with its endpoint).
 */
export function failedItemsText(db: Db, runId: number): string {
  const rows = db
    .prepare(
      `SELECT model_key AS model, COUNT(*) AS n,
              (SELECT x.error FROM run_items x WHERE x.run_id = ri.run_id AND x.model_key = ri.model_key
                 AND x.status = 'failed' ORDER BY x.updated_at DESC, x.id DESC LIMIT 1) AS last
       FROM run_items ri WHERE run_id = ? AND status = 'failed' GROUP BY model_key ORDER BY n DESC, model_key`,
    )
    .all(runId) as { model: string; n: number; last: string | null }[]
  return rows
    .map((r) => `${r.model} ×${r.n}${r.last ? `, last error: ${r.last.slice(0, 300)}` : ''}`)
    .join('; ')
}

function summaryOf(db: Db, row: RunRow, active: (id: number) => boolean): RunSummary {
  const benchmarks = (
    db
      .prepare(
        'SELECT v.benchmark_id FROM run_benchmarks rb JOIN benchmark_versions v ON v.id = rb.benchmark_version_id WHERE rb.run_id = ? ORDER BY v.benchmark_id',
      )
      .all(row.id) as { benchmark_id: string }[]
  ).map((r) => r.benchmark_id)
  const models = (
    db.prepare('SELECT model_key FROM run_models WHERE run_id = ? ORDER BY rowid').all(row.id) as {
      model_key: string
    }[]
  ).map((r) => r.model_key)
  const isActive = active(row.id)
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    interrupted: row.status === 'running' && !isActive && leaseState(row.lease_owner, row.lease_until).stale,
    active: isActive,
    seed: row.seed,
    benchmarks,
    models,
    counts: runCounts(db, row.id),
    requests: requestCounts(db, row.id),
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}

export function runSummary(db: Db, id: number, active: (id: number) => boolean): RunSummary {
  return summaryOf(db, runRow(db, id), active)
}

export function listRuns(db: Db, active: (id: number) => boolean): RunSummary[] {
  const rows = db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[]
  return rows.map((r) => summaryOf(db, r, active))
}

export function runSettings(row: Pick<RunRow, 'settings_json'>): RunSettings {
  return RunSettingsSchema.parse(JSON.parse(row.settings_json))
}

export function storedManifest(row: Pick<RunRow, 'manifest_json'>): RunManifest | null {
  if (!row.manifest_json) return null
  return RunManifestSchema.parse(JSON.parse(row.manifest_json))
}

/** Progress per benchmark × model, with the mean of each benchmark's main metric so far. */
export function progressGroups(db: Db, runId: number): ProgressGroup[] {
  const rows = db
    .prepare(
      `SELECT v.benchmark_id AS benchmarkId, ri.model_key AS modelKey, v.id AS versionId,
              COUNT(*) AS total, SUM(ri.status = 'done') AS done, SUM(ri.status = 'failed') AS failed
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id JOIN benchmark_versions v ON v.id = i.benchmark_version_id
       WHERE ri.run_id = ? GROUP BY v.id, ri.model_key ORDER BY v.benchmark_id, MIN(ri.id)`,
    )
    .all(runId) as {
    benchmarkId: string
    modelKey: string
    versionId: number
    total: number
    done: number
    failed: number
  }[]
  const mean = db.prepare(
    `SELECT AVG(s.value) AS mean, COUNT(s.value) AS n FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
     WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ? AND s.metric = ? AND s.status = 'ok'`,
  )
  const metricOf = new Map<number, string | null>()
  return rows.map((r) => {
    if (!metricOf.has(r.versionId))
      metricOf.set(r.versionId, mainMetric(loadBenchmarkVersion(db, r.versionId).manifest))
    const metric = metricOf.get(r.versionId) ?? null
    const m = metric
      ? (mean.get(runId, r.modelKey, r.versionId, metric) as { mean: number | null; n: number })
      : null
    return {
      benchmarkId: r.benchmarkId,
      modelKey: r.modelKey,
      total: r.total,
      done: r.done ?? 0,
      failed: r.failed ?? 0,
      mainMetric: metric,
      mainMean: m && m.n > 0 ? m.mean : null,
    }
  })
}

export function runDetail(db: Db, id: number, active: (id: number) => boolean): RunDetail {
  const row = runRow(db, id)
  const errors = db
    .prepare(
      `SELECT error AS message, COUNT(*) AS count FROM run_items WHERE run_id = ? AND status = 'failed' AND error IS NOT NULL
       GROUP BY error ORDER BY count DESC, error LIMIT 20`,
    )
    .all(id) as { message: string; count: number }[]
  return {
    ...summaryOf(db, row, active),
    settings: runSettings(row),
    groups: progressGroups(db, id),
    errors,
    failedRequests: db
      .prepare(
        `SELECT endpoint, model_key AS modelKey, kind, count FROM run_request_failures WHERE run_id = ?
         ORDER BY count DESC, endpoint, model_key, kind`,
      )
      .all(id) as RunDetail['failedRequests'],
    manifest: currentManifest(db, row),
  }
}

/** The stored manifest with the run's current status, times and counts. */
export function currentManifest(db: Db, row: RunRow): RunManifest | null {
  const m = storedManifest(row)
  if (!m) return null
  const requests = requestCounts(db, row.id)
  return {
    ...m,
    run: { ...m.run, status: row.status },
    times: { createdAt: row.created_at, startedAt: row.started_at, finishedAt: row.finished_at },
    counts: {
      ...runCounts(db, row.id),
      requestsSent: requests.sent,
      requestsFailed: requests.failed,
      failedByKind: requests.failedByKind,
    },
  }
}

/** Rewrites the stored manifest with the current status, times and counts (on every status change). */
export function refreshManifest(db: Db, runId: number): void {
  const m = currentManifest(db, runRow(db, runId))
  if (m) db.prepare('UPDATE runs SET manifest_json = ? WHERE id = ?').run(JSON.stringify(m), runId)
}

// --- Items ---------------------------------------------------------------------------------------

const ITEM_SELECT = `
  SELECT ri.id, v.benchmark_id, i.ext_id, ri.model_key, ri.status, ri.attempts, ri.error, ri.updated_at,
         substr(r.text, 1, 200) AS preview, r.latency_ms, r.prompt_tokens, r.completion_tokens, r.finished_at,
         q.run_item_id AS request_item, v.manifest_json
  FROM run_items ri
  JOIN instances i ON i.id = ri.instance_id
  JOIN benchmark_versions v ON v.id = i.benchmark_version_id
  LEFT JOIN responses r ON r.id = ri.response_id
  LEFT JOIN requests q ON q.id = r.request_id`

interface ItemRow {
  id: number
  benchmark_id: string
  ext_id: string
  model_key: string
  status: 'pending' | 'done' | 'failed'
  attempts: number
  error: string | null
  updated_at: string
  preview: string | null
  latency_ms: number | null
  prompt_tokens: number | null
  completion_tokens: number | null
  finished_at: string | null
  request_item: number | null
  manifest_json: string
}

/** The `code` in a score's details (why it has no value), if any. */
function detailsCode(json: string): string | null {
  const code = (JSON.parse(json) as { code?: unknown }).code
  return typeof code === 'string' ? code : null
}

function itemRowOf(db: Db, r: ItemRow, metricCache: Map<string, string | null>): RunItemRow {
  let metric = metricCache.get(r.manifest_json)
  if (metric === undefined) {
    const parsed = BenchmarkManifest.safeParse(JSON.parse(r.manifest_json))
    metric = parsed.success ? mainMetric(parsed.data) : null
    metricCache.set(r.manifest_json, metric)
  }
  const score = metric
    ? (db
        .prepare('SELECT value, status, details_json FROM scores WHERE run_item_id = ? AND metric = ?')
        .get(r.id, metric) as
        { value: number | null; status: 'ok' | 'failed' | 'unscored'; details_json: string } | undefined)
    : undefined
  // The jury score beside the main metric (when the main metric is not the jury itself).
  const jury =
    metric !== 'jury'
      ? (db
          .prepare("SELECT value, status FROM scores WHERE run_item_id = ? AND metric = 'jury'")
          .get(r.id) as { value: number | null; status: 'ok' | 'failed' | 'unscored' } | undefined)
      : undefined
  return {
    id: r.id,
    benchmarkId: r.benchmark_id,
    instanceId: r.ext_id,
    juryScore: jury?.value ?? null,
    juryStatus: jury?.status ?? null,
    modelKey: r.model_key,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    responsePreview: r.preview,
    mainMetric: metric,
    score: score?.value ?? null,
    scoreStatus: score?.status ?? null,
    scoreCode: score && score.status !== 'ok' ? detailsCode(score.details_json) : null,
    latencyMs: r.latency_ms,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    cached: r.status === 'done' && r.request_item !== r.id,
  }
}

export function runItemsPage(
  db: Db,
  q: {
    runId: number
    offset: number
    limit: number
    status?: string | undefined
    benchmarkId?: string | undefined
    modelKey?: string | undefined
  },
): RunItemsPage {
  runRow(db, q.runId)
  const where = ['ri.run_id = ?']
  const args: unknown[] = [q.runId]
  const add = (clause: string, value: unknown) => {
    where.push(clause)
    args.push(value)
  }
  if (q.status) add('ri.status = ?', q.status)
  if (q.benchmarkId) add('v.benchmark_id = ?', q.benchmarkId)
  if (q.modelKey) add('ri.model_key = ?', q.modelKey)
  const filter = where.join(' AND ')
  const total = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM run_items ri JOIN instances i ON i.id = ri.instance_id JOIN benchmark_versions v ON v.id = i.benchmark_version_id WHERE ${filter}`,
      )
      .get(...args) as { n: number }
  ).n
  const rows = db
    .prepare(`${ITEM_SELECT} WHERE ${filter} ORDER BY ri.id LIMIT ? OFFSET ?`)
    .all(...args, q.limit, q.offset) as ItemRow[]
  const cache = new Map<string, string | null>()
  return { total, offset: q.offset, rows: rows.map((r) => itemRowOf(db, r, cache)) }
}

export function runItemDetail(db: Db, runId: number, itemId: number): RunItemDetail {
  const r = db.prepare(`${ITEM_SELECT} WHERE ri.run_id = ? AND ri.id = ?`).get(runId, itemId) as
    ItemRow | undefined
  if (!r) throw new AppError('not_found', `Run ${runId} has no item ${itemId}`)
  const base = itemRowOf(db, r, new Map())
  const extra = db
    .prepare(
      `SELECT i.input, i.choices_json, i.references_json, i.metadata_json, i.benchmark_version_id, r.text, q.prompt, e.name AS endpoint, q.run_item_id,
              (SELECT x.run_id FROM run_items x WHERE x.id = q.run_item_id) AS from_run
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id
       LEFT JOIN responses r ON r.id = ri.response_id LEFT JOIN requests q ON q.id = r.request_id LEFT JOIN endpoints e ON e.id = q.endpoint_id
       WHERE ri.id = ?`,
    )
    .get(itemId) as {
    input: string
    choices_json: string | null
    references_json: string
    metadata_json: string
    benchmark_version_id: number
    text: string | null
    prompt: string | null
    endpoint: string | null
    run_item_id: number | null
    from_run: number | null
  }
  const choices = extra.choices_json ? (JSON.parse(extra.choices_json) as string[]) : null
  const prompt =
    extra.prompt ??
    buildPrompt(loadBenchmarkVersion(db, extra.benchmark_version_id).manifest.prompt, {
      input: extra.input,
      choices,
      metadata: JSON.parse(extra.metadata_json) as Record<string, unknown>,
    })
  const scores = (
    db
      .prepare('SELECT metric, value, status, details_json FROM scores WHERE run_item_id = ? ORDER BY id')
      .all(itemId) as {
      metric: string
      value: number | null
      status: 'ok' | 'failed' | 'unscored'
      details_json: string
    }[]
  ).map((s) => ({
    metric: s.metric,
    value: s.value,
    status: s.status,
    details: JSON.parse(s.details_json) as Record<string, unknown>,
  }))
  return {
    ...base,
    prompt,
    response: extra.text,
    references: JSON.parse(extra.references_json) as string[],
    choices,
    scores,
    endpoint: extra.endpoint,
    cachedFromRun: base.cached ? extra.from_run : null,
    finishedAt: r.finished_at,
  }
}

/**
 * The instances a run takes from one benchmark version (seeded sample, or all), each checked to
 * build a prompt. Streamed: only the ids are held (a 100,000-instance benchmark's text is never
 * in memory at once); the external ids are kept only for a sample (the manifest lists them).
 */
