import type { ScorePassStats } from '../../../shared/api/jury'
import type { CommitQueue } from '../../dispatch/commits'
import type { JobSpec } from '../../dispatch/types'
import { Wakeup } from '../../dispatch/wakeup'
import { metricFailure, type MetricOutcome } from '../../scoring/outcome'
import type { ReadOnlySqlRunner } from '../../scoring/readonly-sql'
import { stripReasoning } from '../../scoring/response-text'
import { scoreReferenceMetric, type ReferenceMetricName } from '../../scoring/score-instance'
import type { RunBenchmark } from '../../runs/store'
import { instanceJuryScore, type VoteRecord } from '../aggregate'
import { manifestMetrics } from './report'
import { changed, emptyJuryRow, juryRow, needsScoring, rowOf, type ScoreRow, type StoredScore } from './rows'
import type { ModelError } from '../../models/errors'
import { embeddingPool, type ScoreJob } from './score-client'
import type { PassSetup } from './setup'
import { similarityInput, unavailable } from './similarity'
import type { ItemRow, ScoreStore } from './writes'

/**
 * The producer of a scoring pass: it reads the run's completed items page by page (never all at
 * once), gives the dispatcher the model calls each still needs (the judges without votes on it,
 * its embeddings), and once those are durable finishes the item — its jury score from the
 * stored votes, its reference metrics, the similarity row when nothing had to be asked. At most
 * `window` items are open at a time, so memory stays flat in the number of items.
 */

const PAGE = 256

interface OpenItem {
  b: RunBenchmark
  /** The item's row, read once when it is opened (its jobs and its finish use it). */
  item: ItemRow
  remaining: number
  embedded: boolean
}

export interface FeedDeps {
  runId: number
  setup: PassSetup
  store: ScoreStore
  /** The embedding model's setup failure, once there is one (later items record it without asking). */
  embeddingBroken: () => ModelError | null
  stats: ScorePassStats
  commits: () => CommitQueue
  sql: ReadOnlySqlRunner | null
  window: number
  stopped: () => boolean
  /** Items are ready to be taken (or the feed ended). */
  wake: () => void
  /** One more item is finished. */
  itemDone: () => void
  /** Something other than a model call failed (a write): the pass stops with it. */
  crash: (e: unknown) => void
}

export class ItemFeed {
  private readonly buffers = new Map<string, JobSpec<ScoreJob>[]>()
  private readonly open = new Map<number, OpenItem>()
  private readonly finishing = new Set<Promise<void>>()
  private readonly room = new Wakeup()
  private ended = false

  constructor(private readonly d: FeedDeps) {}

  take(pool: string, limit: number): JobSpec<ScoreJob>[] {
    const buffer = this.buffers.get(pool) ?? []
    return buffer.splice(0, limit)
  }

  more(pool: string): boolean {
    return !this.ended || (this.buffers.get(pool)?.length ?? 0) > 0
  }

  /** Reads every item and opens it; resolves when all are finished (or the pass stopped). */
  async produce(): Promise<void> {
    try {
      for (const b of this.d.setup.benchmarks) {
        let after = 0
        for (let ids = this.page(b, after); ids.length > 0; ids = this.page(b, after)) {
          for (const id of ids) {
            while (this.open.size + this.finishing.size >= this.d.window && !this.d.stopped())
              await this.room.wait(Date.now() + 100)
            if (this.d.stopped()) return
            this.openItem(b, id)
          }
          after = ids[ids.length - 1]!
        }
      }
    } finally {
      this.ended = true
      this.d.wake()
    }
  }

  /** Waits for the items whose last model call has committed to be finished. */
  async drain(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing])
  }

  private page(b: RunBenchmark, after: number): number[] {
    return this.d.stopped() ? [] : this.d.store.itemIds(this.d.runId, b.versionId, after, PAGE)
  }

  private openItem(b: RunBenchmark, id: number): void {
    const item = this.d.store.item(id)
    const jobs = this.jobsOf(b, item)
    if (jobs.length === 0) return this.finish(b, item, false)
    this.open.set(id, { b, item, remaining: jobs.length, embedded: false })
    for (const [pool, payload] of jobs) {
      let buffer = this.buffers.get(pool)
      if (!buffer) this.buffers.set(pool, (buffer = []))
      buffer.push({ id, attempts: 0, payload })
    }
    this.d.wake()
  }

  /** The model calls an item still needs: judges without all their votes, and its embeddings. */
  private jobsOf(b: RunBenchmark, item: ItemRow): [string, ScoreJob][] {
    const id = item.id
    const metrics = manifestMetrics(b).map((m) => m.name)
    const { setup, store } = this.d
    const response = stripReasoning(item.text ?? '').trim()
    const jobs: [string, ScoreJob][] = []
    if (metrics.includes('jury') && response !== '') {
      const criteria = b.manifest.jury?.criteria ?? []
      const have = new Set(store.votesOf(id).map((v) => `${v.judge_key}\u0000${v.criterion}`))
      for (const judge of setup.judges)
        if (criteria.some((c) => !have.has(`${judge.key}\u0000${c.id}`)))
          jobs.push([judge.key, { kind: 'judge', b, item, judge, response, criteria }])
    }
    const embedding = setup.embedding
    if (metrics.includes('bertscore') && embedding && !this.d.embeddingBroken()) {
      if (needsScoring(store.scoresOf(id).get('bertscore'))) {
        const input = similarityInput(item.text, item.references_json, embedding)
        if (!('metric' in input)) jobs.push([embeddingPool(embedding), { kind: 'embed', b, item, input }])
      }
    }
    return jobs
  }

  /** A model call of an item is durable; after its last one, the item is finished. */
  jobDone(id: number, embedded: boolean): void {
    const item = this.open.get(id)
    if (!item) return
    item.embedded ||= embedded
    if (--item.remaining > 0) return
    this.open.delete(id)
    this.finish(item.b, item.item, item.embedded)
  }

  private finish(b: RunBenchmark, item: ItemRow, embedded: boolean): void {
    const p = this.finishItem(b, item, embedded).then(
      () => this.d.itemDone(),
      (e: unknown) => this.d.crash(e),
    )
    this.finishing.add(p)
    void p.finally(() => {
      this.finishing.delete(p)
      this.room.notify()
    })
  }

  private async finishItem(b: RunBenchmark, item: ItemRow, embedded: boolean): Promise<void> {
    const id = item.id
    const existing = this.d.store.scoresOf(id)
    for (const { name } of manifestMetrics(b)) {
      if (this.d.stopped()) return
      if (name === 'jury') await this.write(id, this.juryOf(b, item), existing.get('jury'))
      else if (!needsScoring(existing.get(name)) || (name === 'bertscore' && embedded)) continue
      else if (name === 'bertscore') await this.write(id, this.similarityWithoutAsking(item))
      else await this.write(id, rowOf(name, await this.reference(name as ReferenceMetricName, item)))
    }
  }

  private async write(id: number, row: ScoreRow, old?: StoredScore): Promise<void> {
    if (old && !changed(old, row)) return
    await this.d.commits().commit(this.d.store.scoreWrite(id, row), false)
    this.d.stats.metricRowsWritten++
  }

  /** The jury's row from the stored votes (same-family judges left out when the settings say so). */
  private juryOf(b: RunBenchmark, item: ItemRow): ScoreRow {
    const { setup, store } = this.d
    if (stripReasoning(item.text ?? '').trim() === '')
      return emptyJuryRow(setup.judgeKeys, instanceJuryScore([], { emptyResponse: true }).normalized)
    const ids = new Set((b.manifest.jury?.criteria ?? []).map((c) => c.id))
    const family = setup.sameFamily.get(item.model_key)
    const excluded = setup.excludeSameFamily ? (family?.judges ?? []) : []
    const votes: VoteRecord[] = store
      .votesOf(item.id)
      .filter(
        (v) =>
          setup.judgeKeys.includes(v.judge_key) && !excluded.includes(v.judge_key) && ids.has(v.criterion),
      )
      .map((v) => ({ judge: v.judge_key, criterion: v.criterion, status: v.status, score: v.score }))
    const exclusion = excluded.length === 0 ? null : { judges: excluded, family: family!.family }
    return juryRow(instanceJuryScore(votes), setup.judgeKeys, exclusion)
  }

  /** The similarity row when no embedding request is to be made (none configured, broken, empty). */
  private similarityWithoutAsking(item: ItemRow): ScoreRow {
    const broken = this.d.embeddingBroken()
    const { embedding } = this.d.setup
    if (embedding && broken) return unavailable(broken.message)
    const input = similarityInput(item.text, item.references_json, embedding)
    if ('metric' in input) return input
    return unavailable('the embedding model could not be asked')
  }

  private async reference(name: ReferenceMetricName, item: ItemRow): Promise<MetricOutcome> {
    const instance = {
      references: JSON.parse(item.references_json) as string[],
      choices: item.choices_json ? (JSON.parse(item.choices_json) as string[]) : undefined,
      metadata: JSON.parse(item.metadata_json) as Record<string, unknown>,
    }
    const sql = this.d.sql
    try {
      return await scoreReferenceMetric(
        name,
        item.text ?? '',
        instance,
        sql ? { runSql: (q) => sql.run(q) } : {},
      )
    } catch (e) {
      return metricFailure(
        'invalid_input',
        `the ${name} metric raised an error: ${e instanceof Error ? e.message : String(e)}`,
      )
    }
  }
}
