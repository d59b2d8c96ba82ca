import { INSERT_RESPONSE_SQL, insertRequestSql, UPSERT_SCORE_SQL } from './result-sql'
import type { RunSettings } from '../../shared/api/runs'
import type { AppContext } from '../app/context'
import type { Db } from '../db/open'
import type { EndpointState, Job, Lane } from '../dispatch/pools'
import type { Attempt, DispatchClient, JobSpec, LaneSpec } from '../dispatch/types'
import { failureKind } from '../dispatch/failures'
import { chatClientFor } from '../models/clients'
import { ModelError, toModelError } from '../models/errors'
import type { ChatClient, ChatResult } from '../models/types'
import { buildPrompt } from './prompt'
import { cacheReaderMany, type CachedAnswer } from './response-cache'
import {
  pendingReader,
  type BenchmarkState,
  type ItemRequest,
  type RunItem,
  type RunTally,
} from './run-items'
import { scoreInline, type ScoreRow } from './score-inline'
import { CacheKeyPrefixes, cacheKeyOf, generationOptions } from './settings'

/**
 * A run as a client of the dispatcher: its items are the work (one pool per model of the run),
 * the request is the benchmark's MedHELM prompt (built when the item's page is read), the cache is
 * response_cache (looked up a page at a time, filled when the execution ends: response-cache.ts),
 * and the commit hook writes the request, its response, the inline scores and the item's new status
 * in one transaction.
 */

export interface RunMember {
  client: ChatClient
  digest: string | null
}

interface RunRequest {
  b: BenchmarkState
  instance: ItemRequest['instance']
  prompt: string
  key: string
  cacheable: boolean
  /** The key was looked up with its page (the page's hits are in `pageHits`). */
  prefetched: boolean
}

/** A lane as far as its cache key is concerned. */
type KeyedLane = Pick<LaneSpec<RunMember>, 'modelKey' | 'member'>

interface RunAnswer {
  text: string
  /** Set for an answer from the cache (nothing was sent). */
  cachedResponseId?: number
  result?: ChatResult
  startedAt?: string
}

const nowIso = () => new Date().toISOString()

/** The run's models as dispatcher lanes: one per model, pooled by pool_key. */
export function runLanes(ctx: Pick<AppContext, 'db' | 'env'>, runId: number): LaneSpec<RunMember>[] {
  const models = ctx.db
    .prepare(
      'SELECT model_key, model_name, model_digest, pool_key FROM run_models WHERE run_id = ? ORDER BY rowid',
    )
    .all(runId) as {
    model_key: string
    model_name: string
    model_digest: string | null
    pool_key: string | null
  }[]
  return models.map((m) => {
    const { client } = chatClientFor(ctx, m.model_key)
    return {
      pool: m.pool_key ?? m.model_key,
      modelKey: m.model_key,
      modelName: m.model_name,
      endpoint: client.endpoint,
      member: { client, digest: m.model_digest },
    }
  })
}

function statements(db: Db) {
  return {
    insertRequest: db.prepare(insertRequestSql('run')),
    insertResponse: db.prepare(INSERT_RESPONSE_SQL),
    upsertScore: db.prepare(UPSERT_SCORE_SQL),
    itemDone: db.prepare(
      "UPDATE run_items SET status = 'done', attempts = ?, error = NULL, response_id = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
    ),
    itemRetry: db.prepare('UPDATE run_items SET attempts = ?, error = ?, updated_at = ? WHERE id = ?'),
    itemFailed: db.prepare(
      "UPDATE run_items SET status = 'failed', attempts = ?, error = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
    ),
    countFailure: db.prepare(
      `INSERT INTO run_request_failures (run_id, model_key, endpoint, kind, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT(run_id, model_key, endpoint, kind) DO UPDATE SET count = count + 1`,
    ),
  }
}

export class RunClient implements DispatchClient<RunItem, RunMember, RunRequest, RunAnswer> {
  private readonly stmts
  private readonly cachedMany: (keys: readonly string[]) => Map<string, CachedAnswer>
  private readonly pending: (pool: string, afterId: number, limit: number) => JobSpec<RunItem>[]
  /** Per pool, the model whose cache key is computed and looked up with each page (if any). */
  private readonly pageLane = new Map<string, KeyedLane>()
  /** Cache-key prefixes per model and benchmark version. */
  private readonly prefixes = new CacheKeyPrefixes()
  /** Answers found in the cache for items read but not yet dispatched: key → answer, uses left. */
  private readonly pageHits = new Map<string, { answer: CachedAnswer; uses: number }>()

  constructor(
    db: Db,
    private readonly runId: number,
    private readonly settings: RunSettings,
    private readonly benchmarks: Map<number, BenchmarkState>,
    private readonly tally: RunTally,
    lanes: readonly LaneSpec<RunMember>[],
  ) {
    this.stmts = statements(db)
    this.cachedMany = cacheReaderMany(db)
    this.pending = pendingReader(db, runId)
    if (settings.useCache)
      for (const l of lanes)
        if (l.member.digest !== null && !this.pageLane.has(l.pool)) this.pageLane.set(l.pool, l)
  }

  /**
   * A page of the pool's pending items, each with its request built (instance parsed, prompt,
   * cache key) and the page's keys looked up in one query rather than one per item.
   */
  read(pool: string, afterId: number, limit: number): JobSpec<RunItem>[] {
    const jobs = this.pending(pool, afterId, limit)
    const lane = this.pageLane.get(pool)
    const keys: string[] = []
    for (const job of jobs) {
      const request = this.build(job.payload, lane)
      job.payload.request = request
      if (request.key !== null) keys.push(request.key)
    }
    const hits = keys.length > 0 ? this.cachedMany(keys) : null
    if (hits && hits.size > 0)
      for (const key of keys) {
        const answer = hits.get(key)
        if (!answer) continue
        const held = this.pageHits.get(key)
        if (held) held.uses++
        else this.pageHits.set(key, { answer, uses: 1 })
      }
    return jobs
  }

  private build(item: RunItem, lane: KeyedLane | undefined): ItemRequest {
    const b = this.benchmarks.get(item.versionId)!
    const row = item.instance
    const instance = {
      input: row.input,
      choices: row.choices_json ? (JSON.parse(row.choices_json) as string[]) : null,
      references: JSON.parse(row.references_json) as string[],
      metadata: JSON.parse(row.metadata_json) as Record<string, unknown>,
    }
    const prompt = buildPrompt(b.run.manifest.prompt, instance)
    const keyPrefix = lane ? this.prefixOf(lane, b) : null
    return { instance, prompt, keyPrefix, key: keyPrefix === null ? null : cacheKeyOf(keyPrefix, prompt) }
  }

  private prefixOf(lane: KeyedLane, b: BenchmarkState): string {
    return this.prefixes.of({ digest: lane.member.digest, key: lane.modelKey }, b.generation, b.run.versionId)
  }

  prepare(job: Job<RunItem>, lane: Lane<RunMember>): RunRequest {
    const b = this.benchmarks.get(job.payload.versionId)!
    const r = (job.payload.request ??= this.build(job.payload, undefined))
    const prefix = this.prefixOf(lane, b)
    const prefetched = prefix === r.keyPrefix
    const key = prefetched ? r.key! : cacheKeyOf(prefix, r.prompt)
    const cacheable = this.settings.useCache && lane.member.digest !== null
    return { b, instance: r.instance, prompt: r.prompt, key, cacheable, prefetched }
  }

  lookup(_job: Job<RunItem>, _lane: Lane<RunMember>, q: RunRequest): RunAnswer | undefined {
    if (!q.cacheable) return undefined
    // A pool member with another digest than the one its page was looked up for: its own query.
    const hit = q.prefetched ? this.takePageHit(q.key) : this.cachedMany([q.key]).get(q.key)
    return hit ? { text: hit.text, cachedResponseId: hit.id } : undefined
  }

  private takePageHit(key: string): CachedAnswer | undefined {
    const hit = this.pageHits.get(key)
    if (!hit) return undefined
    if (--hit.uses <= 0) this.pageHits.delete(key)
    return hit.answer
  }

  async send(
    job: Job<RunItem>,
    lane: Lane<RunMember>,
    q: RunRequest,
    signal: AbortSignal,
    timeoutMs: number,
  ) {
    const startedAt = nowIso()
    const result = await lane.member.client.chat(
      {
        model: lane.modelName,
        messages: [{ role: 'user', content: q.prompt }],
        options: generationOptions(q.b.generation),
      },
      {
        purpose: {
          kind: 'run',
          runId: this.runId,
          benchmark: q.b.run.benchmarkId,
          instanceId: job.payload.instanceId,
          modelKey: lane.modelKey,
        },
        signal,
        timeoutMs,
      },
    )
    return { text: result.text, result, startedAt }
  }

  private scores = new WeakMap<RunAnswer, ScoreRow[]>()

  async resultWrite(attempt: Attempt<RunItem, RunMember, RunRequest>, a: RunAnswer) {
    const { job, lane, ep, request: q } = attempt
    const scores = await scoreInline(q.b.metrics, a.text, q.instance)
    this.scores.set(a, scores)
    if (a.cachedResponseId !== undefined) {
      const id = a.cachedResponseId
      return () => {
        this.writeScores(job.id, scores)
        return this.stmts.itemDone.run(job.attempts, id, nowIso(), job.id).changes
      }
    }
    const finishedAt = nowIso()
    const r = a.result!
    return () => {
      const requestId = this.stmts.insertRequest.run(
        job.id,
        ep.id,
        lane.modelName,
        lane.member.digest,
        q.prompt,
        q.b.generationJson,
        q.key,
        a.startedAt,
      ).lastInsertRowid
      const responseId = Number(
        this.stmts.insertResponse.run(
          requestId,
          r.text,
          r.promptTokens,
          r.completionTokens,
          r.durations.wallMs,
          finishedAt,
        ).lastInsertRowid,
      )
      this.writeScores(job.id, scores)
      return this.stmts.itemDone.run(job.attempts + 1, responseId, finishedAt, job.id).changes
    }
  }

  private writeScores(itemId: number, scores: ScoreRow[]): void {
    const at = nowIso()
    for (const s of scores)
      this.stmts.upsertScore.run(itemId, s.metric, s.value, s.status, JSON.stringify(s.details), at)
  }

  committed(job: Job<RunItem>, lane: Lane<RunMember>, a: RunAnswer, cached: boolean): void {
    const b = this.benchmarks.get(job.payload.versionId)!
    this.tally.done(job.payload, lane.pool, b.main, this.scores.get(a) ?? [], cached)
  }

  private countFailure(lane: Lane<RunMember>, ep: EndpointState<RunMember>, err: ModelError): number {
    const kind = failureKind(err)
    if (kind !== null) this.stmts.countFailure.run(this.runId, lane.modelKey, ep.name, kind)
    return 1
  }

  retryWrite(
    job: Job<RunItem>,
    lane: Lane<RunMember>,
    ep: EndpointState<RunMember>,
    err: ModelError,
    attempts: number,
  ) {
    this.stmts.itemRetry.run(attempts, err.message, nowIso(), job.id)
    return this.countFailure(lane, ep, err)
  }

  failureWrite(
    job: Job<RunItem>,
    lane: Lane<RunMember>,
    ep: EndpointState<RunMember>,
    err: ModelError,
    attempts: number,
  ) {
    this.countFailure(lane, ep, err)
    return this.stmts.itemFailed.run(attempts, err.message, nowIso(), job.id).changes
  }

  refusalWrite(lane: Lane<RunMember>, ep: EndpointState<RunMember>, err: ModelError): number {
    return this.countFailure(lane, ep, err)
  }

  failed(job: Job<RunItem>, lane: Lane<RunMember>): void {
    this.tally.failed(job.payload, lane.pool)
  }

  toModelError(e: unknown, ep: EndpointState<RunMember>, lane: Lane<RunMember>): ModelError {
    return e instanceof ModelError ? e : toModelError(e, ep.name, lane.modelName)
  }
}
