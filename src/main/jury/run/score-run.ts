import type { ScorePassResult, ScorePassStats } from '../../../shared/api/jury'
import { lockHolderText } from '../../db/lock-note'
import { Dispatcher } from '../../dispatch/dispatcher'
import { throttled } from '../../dispatch/progress'
import { AppError } from '../../errors'
import { ReadOnlySqlRunner } from '../../scoring/readonly-sql'
import { ItemFeed } from './item-feed'
import { runScoringReport } from './report'
import { ScoreClient, scoreLanes, type ScoreJob, type ScoreMember } from './score-client'
import { passSetup, type Ctx, type PassSetup } from './setup'
import { ScoreStore, type ItemRow } from './writes'

/**
 * `score <runId>`: every metric each benchmark's manifest lists, for every completed run item.
 *
 * - Reference metrics (exact match, MedCalc, EHRSQL, MEDEC, label accuracy, F1, ROUGE-L, BLEU)
 *   through scoring/score-instance.ts; the run engine scores most of them inline already, so this
 *   pass fills what is missing (EHRSQL needs the user's database: without one it is recorded as
 *   unavailable and computed by a later pass that has it).
 * - `bertscore`: sentence embeddings from an Ollama embedding model, greedy-matched
 *   (scoring/embedding-similarity.ts), best reference; with no embedding model configured it is
 *   recorded as unavailable — never a default score.
 * - `jury`: each judge scores each response on the manifest's criteria (1–5, JSON), parsed
 *   strictly with repair, an unusable answer retried up to twice (the judge is shown its answer
 *   and what was wrong with it), then stored as failed votes with the raw text. Every judge ×
 *   criterion vote is a row of jury_votes; the instance's jury score (scores.metric 'jury') is the
 *   mean of its valid votes (1–5) with (mean − 1) / 4 in details, or **unscored** (value NULL)
 *   when no vote is valid or the response is empty.
 *
 * Self-preference guard (settings `excludeSameFamily`): every judge is still asked, but a judge of
 * the evaluated model's family (models/family.ts) is left out of that instance's jury score, which
 * is then the mean of the remaining judges and records `excludedJudges` and the family in its
 * details; with no judge left it is unscored ('all_judges_same_family'). A later pass applies a
 * changed setting to stored votes without asking anyone again.
 *
 * The model calls go through the dispatcher (src/main/dispatch), as for runs: judges and the
 * embedding model share each endpoint's concurrency setting, every result is committed before it
 * counts, and a database locked by another process is waited for. Resumable: what is stored is
 * not asked again — a judge whose votes on an item exist is skipped, a metric row is kept unless
 * it records a failure worth retrying (`details.retryable`). A configuration failure of a judge
 * (refused by the egress policy, model not on the server, server not reachable) stops the pass
 * without recording votes for it; a timeout or an unusable answer is the judge's vote failing, as
 * in HELM.
 */

/** Errors a pass has already reported as a failed job:progress event. */
const reported = new WeakSet<object>()
export function reportedAsProgress(e: unknown): boolean {
  return typeof e === 'object' && e !== null && reported.has(e)
}

export interface ScoreRunOptions {
  /** Judges for this pass (model keys); absent: the stored settings. */
  judges?: readonly string[]
  /** Embedding model for this pass; absent: the stored setting; null: none. */
  embeddingModel?: string | null
  /** SQLite file for EHRSQL execution accuracy (opened read-only). */
  sqlDatabase?: string
  signal?: AbortSignal
  /** Time limit per judge / embedding request; absent: the endpoint's own. */
  requestTimeoutMs?: number
  /** Leave same-family judges out of an instance's jury score; absent: the stored setting. */
  excludeSameFamily?: boolean
  /** Retries of an unusable judge answer (default 2). */
  maxRetries?: number
  /** job:progress id (default `score-<runId>-<time>`). */
  jobId?: string
}

type ScoreDispatcher = Dispatcher<ScoreJob, ScoreMember, ItemRow, unknown>
type Emit = (state: 'running' | 'done' | 'failed', message?: string | null) => void

function newStats(setup: PassSetup, items: number): ScorePassStats {
  return {
    items,
    judgeRequests: 0,
    embeddingRequests: 0,
    metricRowsWritten: 0,
    votesWritten: 0,
    judges: setup.judges.map((j) => j.key),
    embeddingModel: setup.embedding?.key ?? null,
    warnings: setup.warnings,
  }
}

/** job:progress events of the pass: items finished of the total, and what it waits for. */
function progressOf(ctx: Ctx, runId: number, jobId: string, total: number) {
  let done = 0
  const emit: Emit = (state, message = null) =>
    ctx.events.emit('job:progress', {
      jobId,
      kind: 'score',
      label: `Scoring run ${runId}`,
      done,
      total,
      unit: 'items',
      state,
      message,
    })
  const tick = throttled(200, () => emit('running'))
  return {
    emit,
    itemDone: () => {
      done++
      tick()
    },
  }
}

/** The message and error a pass that did not finish ends with. */
function stopped(client: ScoreClient, crash: unknown): { message: string; error: unknown } {
  const failure = client.setupFailure
  const message = crash
    ? crash instanceof Error
      ? crash.message
      : String(crash)
    : failure
      ? `${failure.who}: ${failure.error.message}. Votes already given are kept; run score again once it answers.`
      : 'Scoring was cancelled; what was scored is kept. Run score again to continue.'
  return { message, error: crash ?? new AppError(failure ? failure.error.code : 'conflict', message) }
}

/** Watches the lock state: the progress says for whom the pass waits, as long as it lasts. */
function watchLock(d: ScoreDispatcher, db: Ctx['db'], emit: Emit): () => void {
  let waiting = false
  const timer = setInterval(() => {
    if ((d.commits.waitingFor() !== null) === waiting) return
    waiting = !waiting
    emit('running', waiting ? `waiting: ${lockHolderText(db.name)}` : null)
  }, 250)
  return () => clearInterval(timer)
}

export async function scoreRun(
  ctx: Ctx,
  runId: number,
  options: ScoreRunOptions = {},
): Promise<ScorePassResult> {
  const { db } = ctx
  const setup = passSetup(ctx, runId, options)
  const store = new ScoreStore(db)
  const total = setup.benchmarks.reduce((n, b) => n + store.countItems(runId, b.versionId), 0)
  const stats = newStats(setup, total)
  const sql = options.sqlDatabase
    ? new ReadOnlySqlRunner(
        options.sqlDatabase,
        ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {},
      )
    : null
  const progress = progressOf(ctx, runId, options.jobId ?? `score-${runId}-${Date.now()}`, total)
  let crash: unknown = null
  let d: ScoreDispatcher | null = null
  const isStopped = () => d !== null && (d.stopReason !== null || d.fatal !== null)
  const feed: ItemFeed = new ItemFeed({
    runId,
    setup,
    store,
    embeddingBroken: () => client.embeddingBroken,
    stats,
    commits: () => d!.commits,
    sql,
    window: Math.max(64, 2 * setup.judges.reduce((n, j) => n + j.client.endpoint.concurrency, 0)),
    stopped: isStopped,
    wake: () => d?.wake(),
    itemDone: progress.itemDone,
    crash: (e) => {
      crash ??= e
      d?.fail(e instanceof Error ? e.message : String(e))
    },
  })
  const client = new ScoreClient(ctx, runId, setup.embedding, store, stats, feed, options.maxRetries ?? 2)
  d = new Dispatcher(db, client, passSettings(options), scoreLanes(setup), {
    label: `Scoring run ${runId}`,
    onChange: () => progress.emit('running', d?.commits.waitingFor() ?? null),
  }) as ScoreDispatcher
  client.commits = d.commits
  const onAbort = () => d!.stop('cancel')
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) d.stop('cancel')
  progress.emit('running')
  const unwatch = watchLock(d, db, progress.emit)
  try {
    await Promise.all([d.run(), feed.produce()])
    await feed.drain()
  } finally {
    unwatch()
    d.commits.close()
    options.signal?.removeEventListener('abort', onAbort)
    await sql?.close()
  }
  if (crash || client.setupFailure || options.signal?.aborted || d.fatal) {
    const { message, error } = stopped(
      client,
      crash ?? (client.setupFailure ? null : d.fatal && new Error(d.fatal)),
    )
    progress.emit('failed', message)
    if (typeof error === 'object' && error !== null) reported.add(error)
    throw error
  }
  progress.emit(
    'done',
    `${stats.judgeRequests} judge requests, ${stats.votesWritten} votes, ${stats.metricRowsWritten} metric results written`,
  )
  return { ...runScoringReport(db, runId), pass: stats }
}

/** The dispatcher's settings for a pass: each endpoint's own concurrency, no transport retries. */
function passSettings(options: ScoreRunOptions) {
  return {
    concurrency: null,
    timeoutMs: options.requestTimeoutMs ?? null,
    maxAttempts: 1,
    backoffMs: 0,
  }
}
