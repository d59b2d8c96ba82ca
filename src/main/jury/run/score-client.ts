import type { ScorePassStats } from '../../../shared/api/jury'
import type { EgressPurpose } from '../../../shared/api/models'
import type { JuryCriterion } from '../../../shared/benchmarks/pack'
import type { CommitQueue } from '../../dispatch/commits'
import type { EndpointState, Job, Lane } from '../../dispatch/pools'
import type { Attempt, DispatchClient, JobSpec, LaneSpec } from '../../dispatch/types'
import { toModelError, type ModelError } from '../../models/errors'
import type { ChatMessage } from '../../models/types'
import { generationOptions } from '../../runs/settings'
import type { RunBenchmark } from '../../runs/store'
import { buildJudgePrompt, judgeResponseSchema } from '../prompt'
import { judgeWithRetries, type JudgeVerdict } from '../retry'
import { embedTexts, type EmbeddingModel } from './embed'
import { correction, isSetupFailure, type ScoreRow } from './rows'
import type { Ctx, Judge, PassSetup } from './setup'
import { similarityRow, unavailable, type SimilarityInput } from './similarity'
import { JUDGE_GENERATION, type ItemRow, type ScoreStore } from './writes'

/**
 * A scoring pass as a client of the dispatcher. Its jobs are one judge's verdict on one item
 * (pool: the judge) and one item's embeddings (pool: the embedding model); the commit hook writes
 * the judge's votes, or the similarity row. A judge's unusable answer is retried by
 * judgeWithRetries (the judge is shown what was wrong), not by the dispatcher; a judge's setup
 * failure (refused, model missing, unreachable) stops the pass.
 */

/** One model call an item needs; `item` is the item's row, read once when the feed opened it. */
export type ScoreJob =
  | {
      kind: 'judge'
      b: RunBenchmark
      item: ItemRow
      judge: Judge
      response: string
      criteria: readonly JuryCriterion[]
    }
  | { kind: 'embed'; b: RunBenchmark; item: ItemRow; input: SimilarityInput }

export type ScoreMember = { judge: Judge } | { embedding: EmbeddingModel }

/** A verdict comes with the writes of the judge calls it took (committed with its votes). */
type Answer = { verdict: JudgeVerdict; calls: (() => number)[] } | { row: ScoreRow }

/** Several writes as one. */
const allOf = (writes: (() => number)[]) => () => {
  for (const w of writes) w()
  return 1
}

export const embeddingPool = (m: EmbeddingModel) => `embedding:${m.key}`

export function scoreLanes(setup: PassSetup): LaneSpec<ScoreMember>[] {
  const lanes: LaneSpec<ScoreMember>[] = setup.judges.map((judge) => ({
    pool: judge.key,
    modelKey: judge.key,
    modelName: judge.model,
    endpoint: judge.client.endpoint,
    member: { judge },
  }))
  const e = setup.embedding
  if (e)
    lanes.push({
      pool: embeddingPool(e),
      modelKey: e.key,
      modelName: e.model,
      endpoint: e.endpoint,
      member: { embedding: e },
    })
  return lanes
}

export interface ScoreClientHooks {
  /** Jobs of a pool handed to the dispatcher (the feed fills them as it reads items). */
  take(pool: string, limit: number): JobSpec<ScoreJob>[]
  more(pool: string): boolean
  /** A job's result is durable. */
  jobDone(itemId: number, embedded: boolean): void
}

export class ScoreClient implements DispatchClient<ScoreJob, ScoreMember, ItemRow, Answer> {
  /** Set when a judge's setup failed: the pass stops with it. */
  setupFailure: { who: string; error: ModelError } | null = null
  /** Set when the embedding model's setup failed: later items record it without asking. */
  embeddingBroken: ModelError | null = null
  commits!: CommitQueue

  constructor(
    private readonly ctx: Ctx,
    private readonly runId: number,
    private readonly embedding: EmbeddingModel | null,
    private readonly store: ScoreStore,
    private readonly stats: ScorePassStats,
    private readonly hooks: ScoreClientHooks,
    private readonly maxRetries: number,
  ) {}

  read(pool: string, _afterId: number, limit: number): JobSpec<ScoreJob>[] {
    return this.hooks.take(pool, limit)
  }

  more(pool: string): boolean {
    return this.hooks.more(pool)
  }

  prepare(job: Job<ScoreJob>): ItemRow {
    return job.payload.item
  }

  lookup(): undefined {
    return undefined
  }

  send(job: Job<ScoreJob>, _lane: Lane<ScoreMember>, item: ItemRow, signal: AbortSignal, timeoutMs: number) {
    const p = job.payload
    return p.kind === 'judge'
      ? this.judge(p, item, signal, timeoutMs)
      : this.embed(p, item, signal, timeoutMs)
  }

  private async judge(
    p: Extract<ScoreJob, { kind: 'judge' }>,
    item: ItemRow,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<Answer> {
    const ids = p.criteria.map((c) => c.id)
    const references = JSON.parse(item.references_json) as string[]
    // NoteExtract-style benchmarks (a "structure" criterion) are judged without a gold response.
    const gold = ids.includes('structure') ? null : (references[0] ?? '')
    const task = `a response to a task of the ${p.b.name} benchmark`
    const prompt = buildJudgePrompt({
      input: item.input,
      response: p.response,
      gold,
      criteria: p.criteria,
      task,
    })
    const purpose: EgressPurpose = {
      kind: 'judge',
      runId: this.runId,
      benchmark: p.b.benchmarkId,
      instanceId: item.instance_id,
      judgeKey: p.judge.key,
    }
    let previous: string | null = null
    let setup: ModelError | null = null
    const calls: (() => number)[] = []
    const verdict = await judgeWithRetries({
      criteria: ids,
      maxRetries: this.maxRetries,
      ask: async (attempt) => {
        if (setup) throw setup
        signal.throwIfAborted()
        const messages: ChatMessage[] = [{ role: 'user', content: prompt }]
        if (attempt > 0 && previous !== null)
          messages.push(
            { role: 'assistant', content: previous },
            { role: 'user', content: correction(previous, ids) },
          )
        this.stats.judgeRequests++
        try {
          const result = await p.judge.client.chat(
            {
              model: p.judge.model,
              messages,
              options: generationOptions(JUDGE_GENERATION),
              json: true,
              jsonSchema: judgeResponseSchema(p.criteria),
            },
            { purpose, signal, timeoutMs },
          )
          previous = result.text
          calls.push(this.store.judgeCallWrite(item.id, p.judge, messages, result))
          return result.text
        } catch (e) {
          const err = toModelError(e, p.judge.client.endpoint.name, p.judge.model)
          if (isSetupFailure(err)) setup = err
          previous = null
          throw err
        }
      },
    })
    if (signal.aborted || setup) {
      // No votes: the answers received are still kept as judge requests.
      if (calls.length > 0) await this.commits.commit(allOf(calls), false)
      signal.throwIfAborted()
      throw setup!
    }
    return { verdict, calls }
  }

  private async embed(
    p: Extract<ScoreJob, { kind: 'embed' }>,
    item: ItemRow,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<Answer> {
    const embedding = this.embedding!
    if (this.embeddingBroken) return { row: unavailable(this.embeddingBroken.message) }
    const texts = [...p.input.candidate, ...p.input.references.flat()]
    const purpose: EgressPurpose = {
      kind: 'embedding',
      runId: this.runId,
      benchmark: p.b.benchmarkId,
      instanceId: item.instance_id,
      modelKey: embedding.key,
    }
    try {
      this.stats.embeddingRequests++
      const vectors = await embedTexts(this.ctx, embedding, texts, { purpose, signal, timeoutMs })
      return { row: similarityRow(p.input, vectors, embedding) }
    } catch (e) {
      signal.throwIfAborted()
      const err = toModelError(e, embedding.endpoint.name, embedding.model)
      if (isSetupFailure(err)) this.embeddingBroken = err
      return { row: unavailable(err.message) }
    }
  }

  async resultWrite(attempt: Attempt<ScoreJob, ScoreMember, ItemRow>, a: Answer) {
    const { job, lane, request: item } = attempt
    const p = job.payload
    if ('verdict' in a && p.kind === 'judge')
      // Every answer the judge gave (retries too) and its votes, in one transaction.
      return allOf([...a.calls, this.store.votesWrite(item.id, p.judge, p.criteria, a.verdict)])
    if ('row' in a) return this.store.scoreWrite(item.id, a.row)
    throw new Error(`scoring: an answer of the wrong kind for ${lane.modelKey}`)
  }

  committed(job: Job<ScoreJob>, _lane: Lane<ScoreMember>, a: Answer): void {
    const p = job.payload
    if (p.kind === 'judge') this.stats.votesWritten += p.criteria.length
    else this.stats.metricRowsWritten++
    this.hooks.jobDone(job.id, 'row' in a)
  }

  /** Whatever fails a request reaching the dispatcher stops the pass (answers are retried above). */
  stopsAll(err: ModelError, lane: Lane<ScoreMember>): string {
    const who = 'judge' in lane.member ? `judge ${lane.member.judge.key}` : `embedding model ${lane.modelKey}`
    this.setupFailure ??= { who, error: err }
    return `${who}: ${err.message}`
  }

  // The pass never retries a request in the dispatcher (stopsAll takes every failure first).
  retryWrite(): number {
    throw new Error('scoring: a judge request cannot be retried by the dispatcher')
  }

  failureWrite(): number {
    throw new Error('scoring: a judge request cannot fail an item in the dispatcher')
  }

  refusalWrite(): number {
    throw new Error('scoring: a refused judge request stops the pass')
  }

  failed(): void {}

  toModelError(e: unknown, ep: EndpointState<ScoreMember>, lane: Lane<ScoreMember>): ModelError {
    return toModelError(e, ep.name, lane.modelName)
  }
}
