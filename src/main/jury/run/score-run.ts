import type { ScorePassResult, ScorePassStats } from '../../../shared/api/jury'
import type { EgressPurpose } from '../../../shared/api/models'
import type { JuryCriterion, MetricName } from '../../../shared/benchmarks/pack'
import type { AppContext } from '../../app/context'
import { auditWaitingForLockSince } from '../../audit/log'
import { writeWhenFree } from '../../db/busy-wait'
import { lockHolderText } from '../../db/lock-note'
import { AppError } from '../../errors'
import { chatClientFor } from '../../models/clients'
import { modelFamilies } from '../../models/family'
import { toModelError, type ModelError } from '../../models/errors'
import type { ChatClient, ChatMessage, ChatResult } from '../../models/types'
import { cacheKey, generationOptions, type EffectiveGeneration } from '../../runs/settings'
import type { RunBenchmark } from '../../runs/store'
import { splitSentences } from '../../scoring/bleu'
import { greedyMatchScore, type EmbeddingScore } from '../../scoring/embedding-similarity'
import { metricFailure, type MetricOutcome } from '../../scoring/outcome'
import { ReadOnlySqlRunner } from '../../scoring/readonly-sql'
import { stripReasoning } from '../../scoring/response-text'
import {
  scoreReferenceMetric,
  type ReferenceMetricName,
  type ScoringContext,
} from '../../scoring/score-instance'
import { instanceJuryScore, type InstanceJuryScore, type VoteRecord } from '../aggregate'
import { JURY_SCORE_MAX, JURY_SCORE_MIN } from '../criteria'
import { parseJudgeOutput } from '../parse'
import { buildJudgePrompt, judgeResponseSchema } from '../prompt'
import { judgeWithRetries, type JudgeVerdict } from '../retry'
import { embedTexts, embeddingModel, type EmbeddingModel } from './embed'
import { KeyedLimiter } from './limiter'
import { manifestMetrics, runBenchmarks, runScoringReport } from './report'
import { readScoringSettings } from './settings'

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
 * Resumable: what is stored is not asked again — a judge whose votes on an item exist is skipped,
 * a metric row is kept unless it records a failure worth retrying (`details.retryable`). Requests
 * share each endpoint's concurrency setting. A configuration failure of a judge (refused by the
 * egress policy, model not on the server, server not reachable) stops the pass without recording
 * votes for it; a timeout or an unusable answer is the judge's vote failing, as in HELM.
 */

type Ctx = Pick<AppContext, 'db' | 'env' | 'events' | 'nativeBinding'>

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

/** What a judge is asked to generate (HELM: temperature 0, max_tokens 4096). */
const JUDGE_GENERATION: EffectiveGeneration = { temperature: 0, maxTokens: 4096, stop: [], numCtx: null }

interface Judge {
  key: string
  client: ChatClient
  model: string
  digest: string | null
  limiterKey: string
}

interface ItemRow {
  id: number
  model_key: string
  instance_id: number
  input: string
  choices_json: string | null
  references_json: string
  metadata_json: string
  text: string | null
}

interface StoredScore {
  status: 'ok' | 'failed' | 'unscored'
  value: number | null
  details_json: string
}

interface ScoreRow {
  metric: MetricName
  value: number | null
  status: 'ok' | 'failed' | 'unscored'
  details: Record<string, unknown>
}

/** Failures that are about the judge's setup, not its answer: stop, record nothing. */
function isSetupFailure(e: ModelError): boolean {
  return (
    e.kind === 'refused' ||
    e.kind === 'model_not_found' ||
    e.kind === 'unreachable' ||
    e.kind === 'aborted' ||
    (e.kind === 'http' && !e.retryable)
  )
}

function rowOf(metric: MetricName, outcome: MetricOutcome): ScoreRow {
  if (outcome.ok) return { metric, value: outcome.value, status: 'ok', details: { ...outcome.details } }
  return {
    metric,
    value: null,
    status: 'failed',
    details: {
      code: outcome.code,
      message: outcome.message,
      ...(outcome.details ?? {}),
      // A database that was not there may be there next time: a later pass computes it again.
      ...(outcome.code === 'database_unavailable' ? { retryable: true } : {}),
    },
  }
}

/** A stored metric row is kept unless it records a failure a later pass may overcome. */
function needsScoring(row: StoredScore | undefined): boolean {
  if (!row) return true
  if (row.status !== 'failed') return false
  try {
    return (JSON.parse(row.details_json) as { retryable?: unknown }).retryable === true
  } catch {
    return true
  }
}

/** What the judge is told when its previous answer could not be used. */
function correction(previous: string, criteria: readonly string[]): string {
  const parsed = parseJudgeOutput(previous, criteria)
  const problems = parsed.ok ? [] : parsed.issues.map((i) => i.message)
  return [
    `Your answer could not be used${problems.length ? `: ${problems.join('; ')}` : ''}.`,
    `Answer again with only the JSON object described above: for each of ${criteria.map((c) => `"${c}"`).join(', ')}, a "score" that is a whole number from ${JURY_SCORE_MIN} to ${JURY_SCORE_MAX} and an "explanation" string.`,
  ].join(' ')
}

/** Why a failed vote failed, for its explanation column (the raw answer goes to raw_text). */
function failureReason(verdict: Extract<JudgeVerdict, { status: 'failed' }>, criterion: string): string {
  const last = verdict.attempts[verdict.attempts.length - 1]
  const tries = `${verdict.attempts.length} attempt${verdict.attempts.length === 1 ? '' : 's'}`
  if (last?.requestError !== undefined)
    return `No usable answer after ${tries}; the last request failed: ${last.requestError}`
  const own = verdict.issues.filter((i) => i.criterion === criterion)
  const shown = own.length > 0 ? own : verdict.issues
  const what = shown.map((i) => i.message).join('; ') || 'the answer could not be parsed'
  return own.length > 0 || verdict.issues.every((i) => i.criterion === undefined)
    ? `No usable answer after ${tries}: ${what}`
    : `No usable answer after ${tries}; the answer was rejected as a whole: ${what}`
}

/** Per evaluated model, the judges of its own family (only models that have some). */
function sameFamilyJudges(
  ctx: Ctx,
  judgeKeys: readonly string[],
  evaluated: ReadonlySet<string>,
): Map<string, { family: string; judges: string[] }> {
  const families = modelFamilies(ctx.db, [...judgeKeys, ...evaluated])
  const out = new Map<string, { family: string; judges: string[] }>()
  for (const model of evaluated) {
    const family = families.get(model)!.family
    const judges = judgeKeys.filter((j) => families.get(j)!.family === family)
    if (judges.length > 0) out.set(model, { family, judges: [...judges].sort() })
  }
  return out
}

function sameFamilyWarnings(
  sameFamily: ReadonlyMap<string, { family: string; judges: string[] }>,
  exclude: boolean,
): string[] {
  return [...sameFamily].map(([model, { family, judges }]) =>
    exclude
      ? `Judges ${judges.join(', ')} are of the ${family} family, as ${model}: they are left out of its jury scores (jury settings: exclude same-family judges).`
      : `Judges ${judges.join(', ')} are of the ${family} family, as ${model}, and may favour it; the jury settings can leave them out of its scores.`,
  )
}

/** The jury's metric row of one instance, saying which same-family judges were left out. */
function juryRow(
  s: InstanceJuryScore,
  judgeKeys: readonly string[],
  excluded: { judges: string[]; family: string } | null,
): ScoreRow {
  const judges = [...judgeKeys].sort()
  const exclusion = excluded
    ? {
        excludedJudges: excluded.judges,
        excludedBecause: `same family as the evaluated model (${excluded.family})`,
      }
    : {}
  if (s.status === 'scored')
    return {
      metric: 'jury',
      value: s.mean,
      status: 'ok',
      details: {
        normalized: s.normalized,
        validVotes: s.validVotes,
        failedVotes: s.failedVotes,
        judges,
        ...exclusion,
      },
    }
  const everyJudgeOut = excluded !== null && excluded.judges.length === judgeKeys.length
  return {
    metric: 'jury',
    value: null,
    status: 'unscored',
    details: {
      reason: everyJudgeOut ? 'all_judges_same_family' : s.reason,
      validVotes: 0,
      failedVotes: s.failedVotes,
      judges,
      normalized: null,
      ...exclusion,
    },
  }
}

export async function scoreRun(
  ctx: Ctx,
  runId: number,
  options: ScoreRunOptions = {},
): Promise<ScorePassResult> {
  const { db } = ctx
  const benchmarks = runBenchmarks(db, runId)
  const settings = readScoringSettings(ctx)
  const judgeKeys = [...(options.judges ?? settings.judges)]
  const embeddingKey = options.embeddingModel !== undefined ? options.embeddingModel : settings.embeddingModel
  const maxRetries = options.maxRetries ?? 2
  const warnings: string[] = []

  const juryBenchmarks = benchmarks.filter((b) => b.manifest.metrics.some((m) => m.name === 'jury'))
  if (juryBenchmarks.length > 0 && judgeKeys.length === 0)
    throw new AppError(
      'invalid_input',
      `judges: ${juryBenchmarks.map((b) => b.benchmarkId).join(', ')} ${juryBenchmarks.length === 1 ? 'is' : 'are'} scored by the LLM jury but no judge is set; pass --judges <endpoint>/<model>[,…] or choose judges in the scoring settings`,
    )
  if (new Set(judgeKeys).size !== judgeKeys.length)
    throw new AppError('invalid_input', 'judges: a judge is listed twice')
  if (juryBenchmarks.length > 0 && judgeKeys.length < 3)
    warnings.push(`MedHELM's jury has 3 judges; this pass uses ${judgeKeys.length}.`)

  // Judges and the embedding model are resolved only when a benchmark of the run needs them.
  const judges: Judge[] = (juryBenchmarks.length > 0 ? judgeKeys : []).map((key) => {
    const { client, model, digest } = chatClientFor(ctx, key)
    return { key, client, model, digest, limiterKey: `endpoint:${client.endpoint.id}` }
  })
  const evaluated = new Set(
    (
      db.prepare('SELECT model_key FROM run_models WHERE run_id = ?').all(runId) as { model_key: string }[]
    ).map((r) => r.model_key),
  )
  for (const j of judges)
    if (evaluated.has(j.key))
      warnings.push(`Judge ${j.key} is also a model under evaluation in this run: it judges its own answers.`)
  const excludeSameFamily = options.excludeSameFamily ?? settings.excludeSameFamily
  const sameFamily = sameFamilyJudges(ctx, juryBenchmarks.length > 0 ? judgeKeys : [], evaluated)
  warnings.push(...sameFamilyWarnings(sameFamily, excludeSameFamily))
  const needsEmbedding = benchmarks.some((b) => b.manifest.metrics.some((m) => m.name === 'bertscore'))
  const embedding: EmbeddingModel | null =
    embeddingKey && needsEmbedding ? embeddingModel(ctx, embeddingKey) : null
  if (needsEmbedding && !embedding)
    warnings.push(
      'No embedding model is configured: the similarity metric (bertscore) is recorded as unavailable.',
    )

  const concurrencyOf = new Map<string, number>()
  for (const j of judges) concurrencyOf.set(j.limiterKey, j.client.endpoint.concurrency)
  if (embedding) concurrencyOf.set(`endpoint:${embedding.endpoint.id}`, embedding.endpoint.concurrency)
  const limiter = new KeyedLimiter((k) => concurrencyOf.get(k) ?? 1)

  const sql = options.sqlDatabase
    ? new ReadOnlySqlRunner(
        options.sqlDatabase,
        ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {},
      )
    : null
  const scoringContext: ScoringContext = sql ? { runSql: (q) => sql.run(q) } : {}

  const stats: ScorePassStats = {
    items: 0,
    judgeRequests: 0,
    embeddingRequests: 0,
    metricRowsWritten: 0,
    votesWritten: 0,
    judges: judges.map((j) => j.key),
    embeddingModel: embedding?.key ?? null,
    warnings,
  }

  const stmts = {
    itemIds: db.prepare(
      `SELECT ri.id FROM run_items ri JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.status = 'done' AND i.benchmark_version_id = ? ORDER BY ri.id`,
    ),
    // Read one item at a time: a run's texts (clinical notes) can be far larger than memory wants.
    item: db.prepare(
      `SELECT ri.id, ri.model_key, ri.instance_id, i.input, i.choices_json, i.references_json, i.metadata_json, r.text
       FROM run_items ri JOIN instances i ON i.id = ri.instance_id LEFT JOIN responses r ON r.id = ri.response_id
       WHERE ri.id = ?`,
    ),
    scoresOf: db.prepare('SELECT metric, status, value, details_json FROM scores WHERE run_item_id = ?'),
    upsertScore: db.prepare(
      `INSERT INTO scores (run_item_id, metric, value, status, details_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_item_id, metric) DO UPDATE SET value = excluded.value, status = excluded.status,
         details_json = excluded.details_json, created_at = excluded.created_at`,
    ),
    votesOf: db.prepare('SELECT judge_key, criterion, status, score FROM jury_votes WHERE run_item_id = ?'),
    insertJudgeRequest: db.prepare(
      `INSERT INTO requests (run_item_id, endpoint_id, model_name, model_digest, prompt, settings_json, cache_key, purpose, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'judge', ?)`,
    ),
    insertJudgeResponse: db.prepare(
      'INSERT INTO responses (request_id, text, prompt_tokens, completion_tokens, latency_ms, finished_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertVote: db.prepare(
      `INSERT INTO jury_votes (run_item_id, judge_key, judge_digest, criterion, score, explanation, status, raw_text, attempts, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_item_id, judge_key, criterion) DO UPDATE SET judge_digest = excluded.judge_digest, score = excluded.score,
         explanation = excluded.explanation, status = excluded.status, raw_text = excluded.raw_text,
         attempts = excluded.attempts, created_at = excluded.created_at`,
    ),
  }

  // Writes wait while another process (an import) holds the write lock; the progress says for whom.
  const whenFree = <T>(write: () => T) =>
    writeWhenFree(db, write, { onWait: (holder) => emit('running', `waiting: ${holder}`) })

  const writeScore = async (itemId: number, row: ScoreRow) => {
    await whenFree(() =>
      stmts.upsertScore.run(
        itemId,
        row.metric,
        row.value,
        row.status,
        JSON.stringify(row.details),
        new Date().toISOString(),
      ),
    )
    stats.metricRowsWritten++
  }

  /**
   * Every answer a judge gives is kept as a request (purpose 'judge', the conversation as JSON
   * messages) and its response, with the token counts the server reported: the jury's cost and
   * runtime on the leaderboard come from these rows.
   */
  const recordJudgeCall = async (
    itemId: number,
    judge: Judge,
    messages: ChatMessage[],
    result: ChatResult,
  ) => {
    const finished = new Date()
    const settingsJson = JSON.stringify({ ...generationOptions(JUDGE_GENERATION), json: true })
    const prompt = JSON.stringify(messages)
    const key = cacheKey(
      { digest: result.modelDigest ?? judge.digest, key: judge.key },
      prompt,
      JUDGE_GENERATION,
    )
    const write = db.transaction(() => {
      const requestId = stmts.insertJudgeRequest.run(
        itemId,
        judge.client.endpoint.id,
        judge.model,
        result.modelDigest ?? judge.digest,
        prompt,
        settingsJson,
        key,
        new Date(finished.getTime() - result.durations.wallMs).toISOString(),
      ).lastInsertRowid
      stmts.insertJudgeResponse.run(
        requestId,
        result.text,
        result.promptTokens,
        result.completionTokens,
        result.durations.wallMs,
        finished.toISOString(),
      )
    })
    await whenFree(() => write())
  }

  // The pass stops on a judge's setup failure or the caller's signal.
  const stop = new AbortController()
  let setupFailure: { who: string; error: ModelError } | null = null
  const onAbort = () => stop.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const signal = stop.signal
  let embeddingBroken: ModelError | null = null

  // --- the jury -----------------------------------------------------------------------------------

  async function judgeItem(
    b: RunBenchmark,
    item: ItemRow,
    response: string,
    judge: Judge,
    criteria: readonly JuryCriterion[],
  ): Promise<boolean> {
    const ids = criteria.map((c) => c.id)
    const references = JSON.parse(item.references_json) as string[]
    // NoteExtract-style benchmarks (a "structure" criterion) are judged without a gold response.
    const gold = ids.includes('structure') ? null : (references[0] ?? '')
    const prompt = buildJudgePrompt({
      input: item.input,
      response,
      gold,
      criteria,
      task: `a response to a task of the ${b.name} benchmark`,
    })
    const purpose: EgressPurpose = {
      kind: 'judge',
      runId,
      benchmark: b.benchmarkId,
      instanceId: item.instance_id,
      judgeKey: judge.key,
    }
    let previous: string | null = null
    let setup: ModelError | null = null
    const verdict = await judgeWithRetries({
      criteria: ids,
      maxRetries,
      ask: async (attempt) => {
        if (setup) throw setup
        signal.throwIfAborted()
        const messages: ChatMessage[] = [{ role: 'user', content: prompt }]
        if (attempt > 0 && previous !== null)
          messages.push(
            { role: 'assistant', content: previous },
            { role: 'user', content: correction(previous, ids) },
          )
        stats.judgeRequests++
        try {
          const result = await judge.client.chat(
            {
              model: judge.model,
              messages,
              options: generationOptions(JUDGE_GENERATION),
              json: true,
              jsonSchema: judgeResponseSchema(criteria),
            },
            {
              purpose,
              signal,
              ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
            },
          )
          previous = result.text
          await recordJudgeCall(item.id, judge, messages, result)
          return result.text
        } catch (e) {
          const err = toModelError(e, judge.client.endpoint.name, judge.model)
          if (isSetupFailure(err)) setup = err
          previous = null
          throw err
        }
      },
    })
    if (signal.aborted) return false
    if (setup) {
      setupFailure ??= { who: `judge ${judge.key}`, error: setup }
      stop.abort()
      return false
    }
    const at = new Date().toISOString()
    const writeVotes = db.transaction(() => {
      for (const c of criteria) {
        if (verdict.status === 'valid') {
          const v = verdict.votes.find((x) => x.criterion === c.id)
          if (!v) throw new Error(`judge verdict without criterion ${c.id}`)
          stmts.upsertVote.run(
            item.id,
            judge.key,
            judge.digest,
            c.id,
            v.score,
            v.explanation,
            'valid',
            null,
            verdict.attempts.length,
            at,
          )
        } else {
          stmts.upsertVote.run(
            item.id,
            judge.key,
            judge.digest,
            c.id,
            null,
            failureReason(verdict, c.id),
            'failed',
            verdict.raw,
            verdict.attempts.length,
            at,
          )
        }
        stats.votesWritten++
      }
    })
    await whenFree(() => writeVotes())
    return true
  }

  async function scoreJury(
    b: RunBenchmark,
    item: ItemRow,
    existing: Map<string, StoredScore>,
  ): Promise<void> {
    const criteria = b.manifest.jury?.criteria ?? []
    const ids = new Set(criteria.map((c) => c.id))
    const response = stripReasoning(item.text ?? '').trim()
    let row: ScoreRow
    if (response === '') {
      const s = instanceJuryScore([], { emptyResponse: true })
      row = {
        metric: 'jury',
        value: null,
        status: 'unscored',
        details: {
          reason: 'empty_response',
          validVotes: 0,
          failedVotes: 0,
          judges: [...judgeKeys].sort(),
          normalized: s.normalized,
        },
      }
    } else {
      const have = new Set(
        (stmts.votesOf.all(item.id) as { judge_key: string; criterion: string }[]).map(
          (v) => `${v.judge_key}\u0000${v.criterion}`,
        ),
      )
      const pending = judges.filter((j) => criteria.some((c) => !have.has(`${j.key}\u0000${c.id}`)))
      await Promise.all(
        pending.map((j) =>
          limiter.run(j.limiterKey, () =>
            signal.aborted ? Promise.resolve(false) : judgeItem(b, item, response, j, criteria),
          ),
        ),
      )
      if (signal.aborted) return
      const excluded = excludeSameFamily ? (sameFamily.get(item.model_key)?.judges ?? []) : []
      const votes: VoteRecord[] = (
        stmts.votesOf.all(item.id) as {
          judge_key: string
          criterion: string
          status: 'valid' | 'failed'
          score: number | null
        }[]
      )
        .filter(
          (v) => judgeKeys.includes(v.judge_key) && !excluded.includes(v.judge_key) && ids.has(v.criterion),
        )
        .map((v) => ({ judge: v.judge_key, criterion: v.criterion, status: v.status, score: v.score }))
      row = juryRow(
        instanceJuryScore(votes),
        judgeKeys,
        excluded.length === 0 ? null : { judges: excluded, family: sameFamily.get(item.model_key)!.family },
      )
    }
    const old = existing.get('jury')
    if (
      !old ||
      old.status !== row.status ||
      old.value !== row.value ||
      old.details_json !== JSON.stringify(row.details)
    )
      await writeScore(item.id, row)
  }

  // --- the embedding similarity -------------------------------------------------------------------

  async function similarity(b: RunBenchmark, item: ItemRow): Promise<ScoreRow> {
    const unavailable = (message: string, code = 'embedding_unavailable'): ScoreRow => ({
      metric: 'bertscore',
      value: null,
      status: 'failed',
      details: { code, message, retryable: true },
    })
    if (!embedding)
      return unavailable(
        'no embedding model is configured; pass --embedding-model <endpoint>/<model> or set one in the scoring settings',
      )
    if (embeddingBroken) return unavailable(embeddingBroken.message, 'embedding_failed')
    const response = stripReasoning(item.text ?? '').trim()
    if (response === '')
      return { metric: 'bertscore', value: null, status: 'unscored', details: { reason: 'empty_response' } }
    const references = (JSON.parse(item.references_json) as string[])
      .map((r) => r.trim())
      .filter((r) => r !== '')
    if (references.length === 0)
      return rowOf('bertscore', metricFailure('invalid_reference', 'the instance has no reference text'))
    const units = (t: string) => {
      const s = splitSentences(t)
      return s.length > 0 ? s : [t]
    }
    const candidate = units(response)
    const refUnits = references.map(units)
    let vectors: number[][]
    try {
      stats.embeddingRequests++
      vectors = await limiter.run(`endpoint:${embedding.endpoint.id}`, () =>
        embedTexts(ctx, embedding, [...candidate, ...refUnits.flat()], {
          purpose: {
            kind: 'embedding',
            runId,
            benchmark: b.benchmarkId,
            instanceId: item.instance_id,
            modelKey: embedding.key,
          },
          signal,
          ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
        }),
      )
    } catch (e) {
      const err = toModelError(e, embedding.endpoint.name, embedding.model)
      if (isSetupFailure(err)) embeddingBroken = err
      return unavailable(err.message, 'embedding_failed')
    }
    const cand = vectors.slice(0, candidate.length)
    let offset = candidate.length
    let best: { outcome: MetricOutcome<EmbeddingScore>; reference: number } | null = null
    for (const [i, r] of refUnits.entries()) {
      const outcome = greedyMatchScore({
        candidate: cand,
        reference: vectors.slice(offset, offset + r.length),
      })
      offset += r.length
      if (!outcome.ok) return rowOf('bertscore', outcome)
      if (!best || (best.outcome.ok && outcome.value > best.outcome.value)) best = { outcome, reference: i }
    }
    if (!best || !best.outcome.ok)
      return rowOf('bertscore', metricFailure('invalid_reference', 'the instance has no reference text'))
    return {
      metric: 'bertscore',
      value: best.outcome.value,
      status: 'ok',
      details: {
        ...best.outcome.details,
        reference: best.reference,
        model: embedding.key,
        modelDigest: embedding.digest,
        unit: 'sentence',
        candidateUnits: candidate.length,
      },
    }
  }

  // --- one item, all its metrics ------------------------------------------------------------------

  async function scoreItem(b: RunBenchmark, item: ItemRow): Promise<void> {
    const existing = new Map(
      (stmts.scoresOf.all(item.id) as (StoredScore & { metric: string })[]).map((s) => [s.metric, s]),
    )
    const response = item.text ?? ''
    const instance = {
      references: JSON.parse(item.references_json) as string[],
      choices: item.choices_json ? (JSON.parse(item.choices_json) as string[]) : undefined,
      metadata: JSON.parse(item.metadata_json) as Record<string, unknown>,
    }
    for (const { name } of manifestMetrics(b)) {
      if (signal.aborted) return
      if (name === 'jury') {
        await scoreJury(b, item, existing)
        continue
      }
      if (!needsScoring(existing.get(name))) continue
      if (name === 'bertscore') {
        const row = await similarity(b, item)
        if (!signal.aborted) await writeScore(item.id, row)
        continue
      }
      let outcome: MetricOutcome
      try {
        outcome = await scoreReferenceMetric(name as ReferenceMetricName, response, instance, scoringContext)
      } catch (e) {
        outcome = metricFailure(
          'invalid_input',
          `the ${name} metric raised an error: ${e instanceof Error ? e.message : String(e)}`,
        )
      }
      await writeScore(item.id, rowOf(name, outcome))
    }
  }

  // --- the pass -----------------------------------------------------------------------------------

  const work: { b: RunBenchmark; id: number }[] = []
  for (const b of benchmarks)
    for (const { id } of stmts.itemIds.all(runId, b.versionId) as { id: number }[]) work.push({ b, id })
  stats.items = work.length

  const jobId = options.jobId ?? `score-${runId}-${Date.now()}`
  let done = 0
  let lastEmit = 0
  const emit = (state: 'running' | 'done' | 'failed', message: string | null = null) => {
    ctx.events.emit('job:progress', {
      jobId,
      kind: 'score',
      label: `Scoring run ${runId}`,
      done,
      total: work.length,
      unit: 'items',
      state,
      message,
    })
  }
  emit('running')
  // Judge requests wait while their audit rows cannot be written (another process holds the
  // write lock): say so, and for whom, as long as it lasts.
  let waiting = false
  const lockWatch = setInterval(() => {
    if ((auditWaitingForLockSince(db) !== null) === waiting) return
    waiting = !waiting
    emit('running', waiting ? `waiting: ${lockHolderText(db.name)}` : null)
  }, 250)

  const workers = Math.min(
    64,
    Math.max(
      2,
      [...concurrencyOf.values()].reduce((a, n) => a + n, 0),
    ),
  )
  let next = 0
  let crash: unknown = null
  try {
    await Promise.all(
      Array.from({ length: Math.min(workers, Math.max(1, work.length)) }, async () => {
        while (!signal.aborted && next < work.length) {
          const w = work[next++] as { b: RunBenchmark; id: number }
          try {
            await scoreItem(w.b, stmts.item.get(w.id) as ItemRow)
          } catch (e) {
            crash ??= e
            stop.abort()
            return
          }
          done++
          if (Date.now() - lastEmit > 200) {
            lastEmit = Date.now()
            emit('running')
          }
        }
      }),
    )
  } finally {
    clearInterval(lockWatch)
    options.signal?.removeEventListener('abort', onAbort)
    await sql?.close()
  }

  if (crash || setupFailure || options.signal?.aborted) {
    const failure = setupFailure as { who: string; error: ModelError } | null
    const message = crash
      ? crash instanceof Error
        ? crash.message
        : String(crash)
      : failure
        ? `${failure.who}: ${failure.error.message}. Votes already given are kept; run score again once it answers.`
        : 'Scoring was cancelled; what was scored is kept. Run score again to continue.'
    emit('failed', message)
    const error = crash ?? new AppError(failure ? failure.error.code : 'conflict', message)
    if (typeof error === 'object' && error !== null) reported.add(error)
    throw error
  }
  emit(
    'done',
    `${stats.judgeRequests} judge requests, ${stats.votesWritten} votes, ${stats.metricRowsWritten} metric results written`,
  )
  return { ...runScoringReport(db, runId), pass: stats }
}
