import type { Db } from '../db/open'
import { causedByBusy } from '../db/errors'
import type { ModelError } from '../models/errors'
import { backoffDelay } from './backoff'
import { CommitQueue, LOCK_RETRY_MS } from './commits'
import { answered, failedRequest, newHealth } from './endpoint-health'
import { modelSpecific } from './failures'
import { boundHeapGrowth } from './heap'
import {
  alive,
  hasPeers,
  hasWork,
  peerFor,
  take,
  type EndpointState,
  type Job,
  type Lane,
  type Pool,
} from './pools'
import type { Attempt, DispatchClient, DispatchSettings, LaneSpec } from './types'
import { Wakeup } from './wakeup'

/**
 * The one dispatcher of model calls (runs, jury passes, embedding passes). Work is keyed by
 * endpoint and model:
 *
 * - Each endpoint has its own concurrency limit over all the models it serves; a model may have a
 *   limit of its own over all its endpoints. The endpoints serving one model (a pool) take their
 *   work from one shared queue, streamed from the database as it is needed (memory stays flat in
 *   the number of items).
 * - Transient failures (connection refused or dropped, 5xx/429, timeouts, broken answers) move
 *   the item to a peer endpoint first, then are retried with exponential backoff and jitter, up to
 *   the limit of tries; other failures fail the item at once. An endpoint that refuses a model
 *   (egress policy, model missing, out of memory) or keeps failing is taken out of that pool; a
 *   pooled endpoint failing in a row is taken out for a cool-down and probed (endpoint-health.ts).
 *   With no endpoint left, the pool's work stays pending and `stranded` says why.
 * - The cache is consulted before anything is sent; every result is committed by the client's
 *   hook through the CommitQueue before it is acknowledged; every retry and failure is recorded.
 * - `pause()` and `cancel()` abort what is in flight (those items stay pending).
 */

/** Items of one model failing in a row on one endpoint after every try: that endpoint is out for it. */
const FAILED_ENDPOINT_AFTER = 3
/** Jobs read from the producer at a time per pool. */
const READ_AHEAD = 256

export interface DispatcherOptions {
  label: string
  random?: () => number
  lockPatienceMs?: number
  /** The lock state or the set of endpoints changed: emit progress now. */
  onChange: () => void
}

export class Dispatcher<P, M, Q, R> {
  readonly pools = new Map<string, Pool<P, M>>()
  readonly endpoints: EndpointState<M>[] = []
  readonly commits: CommitQueue
  readonly abort = new AbortController()
  stopReason: 'pause' | 'cancel' | null = null
  fatal: string | null = null
  /** Pools left without an endpoint → why (their items stay pending). */
  readonly stranded = new Map<string, string>()
  errors = 0
  lastError: string | null = null
  private readonly wakeup = new Wakeup()
  private readonly random: () => number
  private readonly lastRead = new Map<string, number>()

  constructor(
    db: Db,
    private readonly client: DispatchClient<P, M, Q, R>,
    private readonly settings: DispatchSettings,
    lanes: LaneSpec<M>[],
    private readonly options: DispatcherOptions,
  ) {
    this.random = options.random ?? Math.random
    this.commits = new CommitQueue(db, {
      label: options.label,
      patienceMs: options.lockPatienceMs,
      onWaitChange: options.onChange,
      onGiveUp: (message) => {
        this.fatal ??= message
        this.abortAll(new DOMException('Stopped', 'AbortError'))
      },
      active: () => this.fatal === null && this.stopReason === null,
    })
    for (const l of lanes) this.addLane(l)
  }

  private addLane(spec: LaneSpec<M>): void {
    let ep = this.endpoints.find((e) => e.id === spec.endpoint.id)
    if (!ep) {
      ep = {
        id: spec.endpoint.id,
        name: spec.endpoint.name,
        limit: this.settings.concurrency ?? spec.endpoint.concurrency,
        timeoutMs: this.settings.timeoutMs ?? spec.endpoint.timeoutMs,
        lanes: new Map(),
        rr: 0,
        health: newHealth(this.cooldownMs()),
        abort: new AbortController(),
      }
      this.endpoints.push(ep)
    }
    const { pool: key, modelKey, modelName, member } = spec
    ep.lanes.set(key, { pool: key, modelKey, modelName, member, disabled: null, exhaustedInARow: 0 })
    let pool = this.pools.get(key)
    if (!pool) {
      const limit = this.settings.modelConcurrency ?? Infinity
      pool = { key, queue: [], head: 0, delayed: [], inFlight: 0, limit, endpoints: [], more: true }
      this.pools.set(key, pool)
    }
    if (!pool.endpoints.includes(ep)) pool.endpoints.push(ep)
  }

  /** Base cool-down of an endpoint taken out of its pool (doubles with each failed probe). */
  private cooldownMs(): number {
    return Math.max(1000, this.settings.backoffMs * 4)
  }

  /** Runs every endpoint's workers until no work is left or the dispatcher stops. */
  async run(): Promise<void> {
    boundHeapGrowth()
    const workers: Promise<void>[] = []
    for (const ep of this.endpoints) for (let i = 0; i < ep.limit; i++) workers.push(this.worker(ep))
    await Promise.all(workers)
    this.wakeup.close()
  }

  stop(reason: 'pause' | 'cancel'): void {
    if (this.stopReason === null) this.stopReason = reason
    else if (reason === 'cancel') this.stopReason = 'cancel'
    this.abortAll(new DOMException(reason === 'pause' ? 'Paused' : 'Cancelled', 'AbortError'))
    this.wakeup.notify()
  }

  /**
   * Aborts what is in flight: the dispatcher's signal and every endpoint's (a request listens to
   * its endpoint's signal only — one long-lived signal, no AbortSignal made per request).
   */
  private abortAll(reason: DOMException): void {
    this.abort.abort(reason)
    for (const ep of this.endpoints) ep.abort.abort(this.abort.signal.reason)
  }

  /** Stops with an error (the lease was lost, a write failed): what is in flight stays pending. */
  fail(message: string): void {
    this.fatal ??= message
    this.abortAll(new DOMException('Stopped', 'AbortError'))
    this.wakeup.notify()
  }

  /** The producer added work or finished: idle workers look again. */
  wake(): void {
    this.wakeup.notify()
  }

  private refill = (pool: Pool<P, M>): void => {
    const jobs = this.client.read(pool.key, this.lastRead.get(pool.key) ?? 0, READ_AHEAD)
    pool.more = this.client.more ? this.client.more(pool.key) : jobs.length === READ_AHEAD
    if (jobs.length > 0) this.lastRead.set(pool.key, jobs[jobs.length - 1]!.id)
    if (pool.head > 0) {
      pool.queue = pool.queue.slice(pool.head)
      pool.head = 0
    }
    for (const j of jobs) pool.queue.push({ ...j, tries: 0, notBefore: 0, failedOn: [], avoid: [] })
  }

  /**
   * One slot of an endpoint. Pipelined: once a request has been answered, the slot sends its next
   * request while the last result is still committing (at most one commit outstanding per slot);
   * the result counts as done (`committed`) only once its transaction has committed.
   */
  private async worker(ep: EndpointState<M>): Promise<void> {
    let committing: Promise<void> | null = null
    try {
      while (this.stopReason === null && this.fatal === null) {
        if (this.commits.lockedSince !== null) {
          await this.commits.released()
          continue
        }
        const next = take(ep, this.pools, this.refill)
        if (next === null) return
        if ('waitUntil' in next) {
          await this.wakeup.wait(next.waitUntil)
          continue
        }
        next.pool.inFlight++
        try {
          const answered = await this.process(ep, next.pool, next.lane, next.job)
          if (answered) {
            const commit = answered.commit.catch((e: unknown) => this.failedWrite(e))
            if (committing) await committing
            committing = commit
          }
        } catch (e) {
          this.failedWrite(e)
        } finally {
          next.pool.inFlight--
          this.wakeup.notify()
        }
      }
    } finally {
      if (committing) await committing
    }
  }

  /** Not a model failure (those are handled per item): the database refused a write, or a bug. */
  private failedWrite(e: unknown): void {
    this.fail(`${this.options.label} stopped: ${e instanceof Error ? e.message : String(e)}`)
  }

  /** Sends one job; for an answer (or a cache hit), returns its commit still in progress. */
  private async process(
    ep: EndpointState<M>,
    pool: Pool<P, M>,
    lane: Lane<M>,
    job: Job<P>,
  ): Promise<{ commit: Promise<void> } | void> {
    const request = this.client.prepare(job, lane)
    const hit = this.client.lookup(job, lane, request)
    if (hit !== undefined) return { commit: this.complete({ job, lane, ep, request }, hit, true) }
    // The endpoint's signal is aborted when it is taken out and when the dispatcher stops.
    const epAbort = ep.abort
    let result: R
    try {
      result = await this.client.send(job, lane, request, epAbort.signal, ep.timeoutMs)
    } catch (e) {
      if (causedByBusy(e) && !this.abort.signal.aborted) {
        // Not the model's failure: the audit row that must precede the request could not be
        // written (another process holds the database). Nothing was sent; wait, then try again.
        if (!this.commits.waitForLock(e)) throw e
        pool.delayed.push({ ...job, notBefore: Date.now() + LOCK_RETRY_MS })
        return
      }
      if (epAbort.signal.aborted && !this.abort.signal.aborted) {
        // Its endpoint was taken out while this was in flight: a peer takes the item over.
        pool.delayed.push({ ...job, avoid: [ep.id], notBefore: 0 })
        return
      }
      return this.failed(ep, pool, lane, job, e)
    }
    lane.exhaustedInARow = 0
    answered(ep.health, this.cooldownMs())
    return { commit: this.complete({ job, lane, ep, request }, result, false) }
  }

  private async complete(attempt: Attempt<P, M, Q>, result: R, cached: boolean) {
    const write = await this.client.resultWrite(attempt, result, cached)
    await this.commits.commit(write)
    this.client.committed(attempt.job, attempt.lane, result, cached)
  }

  private async failed(ep: EndpointState<M>, pool: Pool<P, M>, lane: Lane<M>, job: Job<P>, e: unknown) {
    if (this.abort.signal.aborted) {
      // Paused or cancelled: what was in flight stays pending, without counting an attempt.
      pool.queue.push(job)
      return
    }
    const err = this.client.toModelError(e, ep, lane)
    const stopAll = this.client.stopsAll?.(err, lane) ?? null
    if (stopAll !== null) {
      // The client cannot go on without this endpoint (a judge's setup failed): stop everything.
      pool.queue.push(job)
      this.fail(stopAll)
      return
    }
    this.errors++
    this.lastError = `${lane.modelKey}: ${err.message}`
    if (err.kind === 'refused' || modelSpecific(err)) {
      // This endpoint cannot serve this model (its other models are unaffected): take it out of
      // the pool and give the item back to the pool's other endpoints.
      await this.commits.commit(() => this.client.refusalWrite(lane, ep, err), false)
      lane.disabled = err.message
      pool.queue.splice(pool.head, 0, job)
      this.laneGone(pool, ep, lane, err.message)
      return
    }
    if (err.retryable) this.endpointFailed(ep, err)
    const attempts = job.attempts + 1
    const failedOn = [...job.failedOn, ep.id]
    const tries = job.tries + 1
    const retry = err.retryable && (peerFor(pool, failedOn) || tries < this.settings.maxAttempts)
    if (retry) {
      await this.commits.commit(() => this.client.retryWrite(job, lane, ep, err, attempts), false)
      pool.delayed.push(this.retried(pool, job, attempts, failedOn))
      return
    }
    await this.commits.commit(() => this.client.failureWrite(job, lane, ep, err, attempts))
    this.client.failed(job, lane)
    if (err.retryable) this.itemExhausted(pool, ep, lane, err)
  }

  /** The job as retried: on a peer at once without using up a try, else after a backoff. */
  private retried(pool: Pool<P, M>, job: Job<P>, attempts: number, failedOn: number[]): Job<P> {
    if (peerFor(pool, failedOn)) return { ...job, attempts, failedOn, avoid: failedOn, notBefore: 0 }
    const tries = job.tries + 1
    const notBefore = Date.now() + backoffDelay(tries, this.settings.backoffMs, this.random)
    return { ...job, attempts, tries, failedOn: [], avoid: [], notBefore }
  }

  /** A failed request worth retrying: after a few in a row, a pooled endpoint is taken out for a while. */
  private endpointFailed(ep: EndpointState<M>, err: ModelError): void {
    if (!failedRequest(ep.health, Date.now(), hasPeers(ep, this.pools), err.message)) return
    // Its requests in flight move to its peers now rather than after their time limit.
    ep.abort.abort(new DOMException(`Endpoint ${ep.name} taken out`, 'AbortError'))
    ep.abort = new AbortController()
    if (this.abort.signal.aborted) ep.abort.abort(this.abort.signal.reason)
    this.wakeup.notify()
  }

  /**
   * Items of one model failing one after another on an endpoint after every try: the endpoint is
   * out for that model (a dead endpoint fails every model it serves, each in turn).
   */
  private itemExhausted(pool: Pool<P, M>, ep: EndpointState<M>, lane: Lane<M>, err: ModelError): void {
    lane.exhaustedInARow++
    if (lane.exhaustedInARow < FAILED_ENDPOINT_AFTER) return
    const why = `it stopped answering (${lane.exhaustedInARow} items in a row failed after ${this.settings.maxAttempts} attempts; last: ${err.message})`
    lane.disabled = why
    this.laneGone(pool, ep, lane, why)
  }

  /**
   * When no endpoint of a pool that still has work is left, that work cannot be done in this
   * execution: it stays pending, the other models go on, and `stranded` names the model and the
   * endpoint that failed.
   */
  private laneGone(pool: Pool<P, M>, ep: EndpointState<M>, lane: Lane<M>, why: string): void {
    const left = alive(pool)
    if (!left && hasWork(pool) && !this.stranded.has(pool.key)) {
      const others = pool.endpoints.length > 1 ? ' and no other endpoint of its pool can serve it' : ''
      this.stranded.set(
        pool.key,
        `Model "${lane.modelName}" on endpoint "${ep.name}" failed${others}: ${why}. Fix it and resume the run.`,
      )
    }
    if (!left) {
      pool.queue = []
      pool.head = 0
      pool.delayed = []
      pool.more = false
    }
    this.options.onChange()
    this.wakeup.notify()
  }
}
