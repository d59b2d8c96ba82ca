import type { RunCounts, RunProgress, RunSettings, RunStatus } from '../../shared/api/runs'
import type { AppContext } from '../app/context'
import { canonicalJson } from '../benchmarks/normalize'
import type { Db } from '../db/open'
import { WRITE_PATIENCE_MS, writeWhenFree } from '../db/busy-wait'
import { lockHolderText } from '../db/lock-note'
import { causedByBusy, isBusyError, withBusyTimeout } from '../db/errors'
import { auditWaitingForLockSince } from '../audit/log'
import { AppError } from '../errors'
import { chatClientFor } from '../models/clients'
import { ModelError, toModelError } from '../models/errors'
import type { ChatClient, ChatResult } from '../models/types'
import { backoffDelay } from './backoff'
import { answered, failedRequest, gate, isDown, newHealth, type EndpointHealth } from './endpoint-health'
import { failureKind, modelSpecific } from './failures'
import { LEASE_MS, LEASE_RENEW_MS, leaseState, newLeaseOwner } from './lease'
import { buildPrompt } from './prompt'
import { scoreInline, inlineMetrics, mainMetric, type InlineMetric, type ScoreRow } from './score-inline'
import { cacheKey, effectiveGeneration, generationOptions, type EffectiveGeneration } from './settings'
import {
  failedItemsText,
  loadBenchmarkVersion,
  refreshManifest,
  runCounts,
  runRow,
  runSettings,
  type RunBenchmark,
} from './store'

/**
 * The run engine: executes one run's pending items against its models' endpoints.
 *
 * - Each endpoint has its own concurrency limit (the run's setting, else the endpoint's, default 4);
 *   the endpoints serving one model (a pool) take their work from one shared queue.
 * - Transient failures (connection refused or dropped, 5xx/429, timeouts, broken answers) are
 *   retried with exponential backoff and jitter, up to the run's limit of attempts; other failures
 *   fail the item at once. An endpoint that refuses the model (egress policy, model missing) or
 *   keeps failing is taken out of its pool; with no endpoint left, the run stops as 'failed' and
 *   can be resumed.
 * - Every completed request is committed on arrival, in one transaction with its response, its
 *   inline scores and the item's new status, so a process killed at any moment loses nothing that
 *   finished and repeats nothing that was committed.
 * - Answers are taken from the response cache when the same model digest, prompt and settings were
 *   answered before (nothing is sent).
 * - Another process can ask for a pause or cancel through runs.control; this process holds a lease
 *   on the run while it executes it.
 */

export interface ExecutionOptions {
  /** How often progress is emitted while running (ms). */
  progressEveryMs?: number
  /** How often runs.control is read and the lease checked (ms). */
  controlEveryMs?: number
  random?: () => number
  /** How long to wait for a database locked by another process (default WRITE_PATIENCE_MS, 15 min). */
  lockPatienceMs?: number
}

interface WorkItem {
  itemId: number
  instanceId: number
  versionId: number
  /** Requests sent for this item so far, in every execution (stored). */
  attempts: number
  /** Failed tries in this execution: what the retry limit counts (a resume starts afresh). */
  tries: number
  notBefore: number
  /** Endpoints this item failed on since its last counted try (it moves on to a peer first). */
  failedOn: number[]
  /** Endpoints that should leave this item to a peer. */
  avoid: number[]
}

interface Member {
  modelKey: string
  modelName: string
  digest: string | null
  client: ChatClient
  disabled: string | null
  /** Items of this model failing one after another on this endpoint after every try. */
  exhaustedInARow: number
}

interface EndpointState {
  id: number
  name: string
  limit: number
  timeoutMs: number
  /** Pool key → this endpoint's model for that pool. */
  members: Map<string, Member>
  rr: number
  health: EndpointHealth
  /** Aborts this endpoint's requests in flight when it is taken out (they move to peers). */
  abort: AbortController
}

interface Pool {
  key: string
  queue: WorkItem[]
  head: number
  delayed: WorkItem[]
  inFlight: number
  endpoints: EndpointState[]
}

interface BenchmarkState {
  run: RunBenchmark
  generation: EffectiveGeneration
  /** What requests.settings_json records (the same for every request of this benchmark). */
  generationJson: string
  metrics: InlineMetric[]
  main: string | null
}

interface Group {
  benchmarkId: string
  modelKey: string
  total: number
  done: number
  failed: number
  mainMetric: string | null
  sum: number
  n: number
}

const FAILED_ENDPOINT_AFTER = 3
/** How long one write waits inside SQLite before the run waits outside it (the event loop stays free). */
const WRITE_BUSY_MS = 100
const LOCK_RETRY_MS = 250

interface PendingWrite {
  write: () => number
  /** The write must change exactly one row (the item, still pending). */
  mustChange: boolean
  resolve: () => void
  reject: (e: unknown) => void
}

/** Work left in a pool: queued, waiting to be retried, or in flight. */
function hasWork(pool: Pool): boolean {
  return pool.head < pool.queue.length || pool.delayed.length > 0 || pool.inFlight > 0
}
const registries = new WeakMap<Db, Map<number, RunExecution>>()

function registry(db: Db): Map<number, RunExecution> {
  let r = registries.get(db)
  if (!r) registries.set(db, (r = new Map()))
  return r
}

/** The execution of a run in this process, if any. */
export function activeExecution(db: Db, runId: number): RunExecution | undefined {
  return registry(db).get(runId)
}

export function isActive(db: Db): (runId: number) => boolean {
  return (id) => registry(db).has(id)
}

const nowIso = () => new Date().toISOString()

/**
 * Takes the run (pending, paused, failed, or interrupted by a dead process), marks it running
 * under this process's lease, and starts executing it in the background.
 */
export function startExecution(
  ctx: Pick<AppContext, 'db' | 'env' | 'events'>,
  runId: number,
  options: ExecutionOptions = {},
): RunExecution {
  const db = ctx.db
  if (registry(db).has(runId))
    throw new AppError('conflict', `Run ${runId} is already running in this process`)
  const owner = newLeaseOwner()
  db.transaction(() => {
    const row = runRow(db, runId)
    if (row.status === 'completed')
      throw new AppError('conflict', `Run ${runId} is completed; there is nothing left to run`)
    if (row.status === 'cancelled')
      throw new AppError('conflict', `Run ${runId} was cancelled; start a new run instead`)
    if (row.status === 'running') {
      const lease = leaseState(row.lease_owner, row.lease_until)
      if (!lease.stale)
        throw new AppError(
          'conflict',
          `Run ${runId} is being executed by another WardEval process (pid ${lease.pid ?? '?'}); pause or cancel it there, or wait`,
        )
    }
    const at = nowIso()
    db.prepare(
      `UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), finished_at = NULL, error = NULL, control = NULL,
         lease_owner = ?, lease_until = ? WHERE id = ?`,
    ).run(at, owner, new Date(Date.now() + LEASE_MS).toISOString(), runId)
    // Resuming retries what failed before; what is done stays done.
    db.prepare(
      "UPDATE run_items SET status = 'pending', updated_at = ? WHERE run_id = ? AND status = 'failed'",
    ).run(at, runId)
    refreshManifest(db, runId)
  }).immediate()
  const execution = new RunExecution(ctx, runId, owner, options)
  registry(db).set(runId, execution)
  execution.start()
  return execution
}

export class RunExecution {
  readonly done: Promise<RunStatus>
  private resolveDone!: (s: RunStatus) => void
  private readonly db: Db
  private readonly abort = new AbortController()
  private stopReason: 'pause' | 'cancel' | null = null
  private fatal: string | null = null
  /** Pools left without an endpoint → why (their items stay pending). */
  private readonly stranded = new Map<string, string>()
  private readonly settings: RunSettings
  private readonly pools = new Map<string, Pool>()
  private readonly endpoints: EndpointState[] = []
  private readonly benchmarks = new Map<number, BenchmarkState>()
  private readonly groups = new Map<string, Group>()
  private counts: RunCounts = { total: 0, done: 0, failed: 0, pending: 0, cached: 0 }
  private errors = 0
  private lastError: string | null = null
  private readonly samples: { t: number; finished: number }[] = []
  private finished = 0
  private wake: (() => void) | null = null
  private wakeAt: NodeJS.Timeout | null = null
  private writes: PendingWrite[] = []
  /** Since when writes have found the database locked by another process (null: they have not). */
  private lockedSince: number | null = null
  private lockRetry: NodeJS.Timeout | null = null
  private lockPoll: Promise<void> | null = null
  /** What the run is waiting for ('an import … holds the database's write lock'), or null. */
  private waitingFor: string | null = null
  private wakeAtTime = Infinity
  private timers: NodeJS.Timeout[] = []
  private lastLeaseRenew = Date.now()
  private readonly random: () => number
  private readonly stmts

  constructor(
    private readonly ctx: Pick<AppContext, 'db' | 'env' | 'events'>,
    readonly runId: number,
    private readonly owner: string,
    private readonly options: ExecutionOptions,
  ) {
    this.db = ctx.db
    this.done = new Promise((r) => (this.resolveDone = r))
    this.settings = runSettings(runRow(this.db, runId))
    this.random = options.random ?? Math.random
    const db = this.db
    this.stmts = {
      instance: db.prepare(
        'SELECT ext_id, input, choices_json, references_json, metadata_json FROM instances WHERE id = ?',
      ),
      cacheHit: db.prepare(
        `SELECT r.id, r.text, r.prompt_tokens, r.completion_tokens, r.latency_ms FROM response_cache c JOIN responses r ON r.id = c.response_id
         WHERE c.cache_key = ?`,
      ),
      insertRequest: db.prepare(
        `INSERT INTO requests (run_item_id, endpoint_id, model_name, model_digest, prompt, settings_json, cache_key, purpose, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'run', ?)`,
      ),
      insertResponse: db.prepare(
        'INSERT INTO responses (request_id, text, prompt_tokens, completion_tokens, latency_ms, finished_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertCache: db.prepare(
        'INSERT OR IGNORE INTO response_cache (cache_key, response_id, created_at) VALUES (?, ?, ?)',
      ),
      upsertScore: db.prepare(
        `INSERT INTO scores (run_item_id, metric, value, status, details_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(run_item_id, metric) DO UPDATE SET value = excluded.value, status = excluded.status,
           details_json = excluded.details_json, created_at = excluded.created_at`,
      ),
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
      control: db.prepare('SELECT control, lease_owner FROM runs WHERE id = ?'),
      renew: db.prepare('UPDATE runs SET lease_until = ? WHERE id = ? AND lease_owner = ?'),
    }
  }

  /** Asks the run to stop after aborting what is in flight (those items stay pending). */
  pause(): void {
    this.stop('pause')
  }

  cancel(): void {
    this.stop('cancel')
  }

  private stop(reason: 'pause' | 'cancel'): void {
    if (this.stopReason === null) this.stopReason = reason
    else if (reason === 'cancel') this.stopReason = 'cancel'
    this.abort.abort(new DOMException(reason === 'pause' ? 'Run paused' : 'Run cancelled', 'AbortError'))
    this.notify()
  }

  start(): void {
    void this.execute().then(
      (status) => this.resolveDone(status),
      (e: unknown) => {
        // execute() records its own failures; this is a last resort so the promise always settles.
        this.fatal = e instanceof Error ? e.message : String(e)
        try {
          this.resolveDone(this.finish())
        } catch {
          registry(this.db).delete(this.runId)
          this.resolveDone('failed')
        }
      },
    )
  }

  private async execute(): Promise<RunStatus> {
    try {
      this.prepare()
    } catch (e) {
      this.fatal = e instanceof Error ? e.message : String(e)
      return this.finish()
    }
    const every = this.options.progressEveryMs ?? 250
    this.timers.push(setInterval(() => this.emitProgress(), every))
    this.timers.push(setInterval(() => this.checkControl(), this.options.controlEveryMs ?? 500))
    this.emitProgress()
    const workers: Promise<void>[] = []
    for (const ep of this.endpoints) for (let i = 0; i < ep.limit; i++) workers.push(this.worker(ep))
    await Promise.all(workers)
    return this.finishWhenWritable()
  }

  /** Records the end; a database locked by another process is waited for (with the same patience). */
  private finishWhenWritable(): Promise<RunStatus> {
    return writeWhenFree(this.db, () => this.finish(), {
      patienceMs: this.options.lockPatienceMs ?? WRITE_PATIENCE_MS,
      onWait: () => {
        this.lockedSince ??= Date.now()
        this.emitProgress()
      },
    })
  }

  private prepare(): void {
    const db = this.db
    const models = db
      .prepare(
        'SELECT model_key, model_name, model_digest, pool_key FROM run_models WHERE run_id = ? ORDER BY rowid',
      )
      .all(this.runId) as {
      model_key: string
      model_name: string
      model_digest: string | null
      pool_key: string | null
    }[]
    const byEndpoint = new Map<number, EndpointState>()
    for (const m of models) {
      const poolKey = m.pool_key ?? m.model_key
      const { client } = chatClientFor(this.ctx, m.model_key)
      let ep = byEndpoint.get(client.endpoint.id)
      if (!ep) {
        ep = {
          id: client.endpoint.id,
          name: client.endpoint.name,
          limit: this.settings.concurrency ?? client.endpoint.concurrency,
          timeoutMs: this.settings.timeoutMs ?? client.endpoint.timeoutMs,
          members: new Map(),
          rr: 0,
          health: newHealth(this.cooldownMs()),
          abort: new AbortController(),
        }
        byEndpoint.set(ep.id, ep)
        this.endpoints.push(ep)
      }
      ep.members.set(poolKey, {
        modelKey: m.model_key,
        modelName: m.model_name,
        digest: m.model_digest,
        client,
        disabled: null,
        exhaustedInARow: 0,
      })
      let pool = this.pools.get(poolKey)
      if (!pool)
        this.pools.set(
          poolKey,
          (pool = { key: poolKey, queue: [], head: 0, delayed: [], inFlight: 0, endpoints: [] }),
        )
      if (!pool.endpoints.includes(ep)) pool.endpoints.push(ep)
    }

    const versions = db
      .prepare('SELECT benchmark_version_id AS id FROM run_benchmarks WHERE run_id = ? ORDER BY rowid')
      .all(this.runId) as { id: number }[]
    for (const v of versions) {
      const run = loadBenchmarkVersion(db, v.id)
      const metrics = inlineMetrics(run.manifest)
      const generation = effectiveGeneration(run.manifest.prompt, this.settings)
      this.benchmarks.set(v.id, {
        run,
        generation,
        generationJson: canonicalJson(generation),
        metrics,
        main: mainMetric(run.manifest),
      })
    }

    const groupRows = db
      .prepare(
        `SELECT i.benchmark_version_id AS versionId, ri.model_key AS modelKey, COUNT(*) AS total,
                SUM(ri.status = 'done') AS done, SUM(ri.status = 'failed') AS failed
         FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.run_id = ? GROUP BY i.benchmark_version_id, ri.model_key`,
      )
      .all(this.runId) as {
      versionId: number
      modelKey: string
      total: number
      done: number
      failed: number
    }[]
    const sums = db.prepare(
      `SELECT SUM(s.value) AS sum, COUNT(s.value) AS n FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ? AND s.metric = ? AND s.status = 'ok'`,
    )
    for (const g of groupRows) {
      const b = this.benchmarks.get(g.versionId)
      const main = b?.main ?? null
      const s = main
        ? (sums.get(this.runId, g.modelKey, g.versionId, main) as { sum: number | null; n: number })
        : { sum: 0, n: 0 }
      this.groups.set(`${g.versionId}|${g.modelKey}`, {
        benchmarkId: b?.run.benchmarkId ?? String(g.versionId),
        modelKey: g.modelKey,
        total: g.total,
        done: g.done ?? 0,
        failed: g.failed ?? 0,
        mainMetric: main,
        sum: s.sum ?? 0,
        n: s.n,
      })
    }
    this.counts = runCounts(db, this.runId)

    const pending = db
      .prepare(
        `SELECT ri.id AS itemId, ri.model_key AS pool, ri.instance_id AS instanceId, ri.attempts, i.benchmark_version_id AS versionId
         FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.run_id = ? AND ri.status = 'pending' ORDER BY ri.id`,
      )
      .all(this.runId) as {
      itemId: number
      pool: string
      instanceId: number
      attempts: number
      versionId: number
    }[]
    for (const p of pending) {
      const pool = this.pools.get(p.pool)
      if (!pool)
        throw new AppError(
          'internal',
          `Run ${this.runId}: item ${p.itemId} belongs to no model of the run (${p.pool})`,
        )
      pool.queue.push({
        itemId: p.itemId,
        instanceId: p.instanceId,
        versionId: p.versionId,
        attempts: p.attempts,
        tries: 0,
        notBefore: 0,
        failedOn: [],
        avoid: [],
      })
    }
  }

  // --- Scheduling ----------------------------------------------------------------------------

  private notify(): void {
    const w = this.wake
    this.wake = null
    if (this.wakeAt) clearTimeout(this.wakeAt)
    this.wakeAt = null
    this.wakeAtTime = Infinity
    w?.()
  }

  private waitForChange(untilMs: number | null): Promise<void> {
    return new Promise((resolve) => {
      const prev = this.wake
      this.wake = () => {
        prev?.()
        resolve()
      }
      if (untilMs !== null && untilMs < this.wakeAtTime) {
        if (this.wakeAt) clearTimeout(this.wakeAt)
        this.wakeAtTime = untilMs
        this.wakeAt = setTimeout(() => this.notify(), Math.max(0, untilMs - Date.now()))
      }
    })
  }

  /** The next item for this endpoint, a time to wait until, or null when it has nothing left to do. */
  private take(
    ep: EndpointState,
  ): { item: WorkItem; pool: Pool; member: Member } | { waitUntil: number | null } | null {
    const pools = [...ep.members.entries()]
      .filter(([, m]) => m.disabled === null)
      .map(([k]) => this.pools.get(k)!)
    if (pools.length === 0) return null
    const now = Date.now()
    const open = gate(ep.health, now)
    if (open !== 'open' && open !== 'probe') return pools.some(hasWork) ? open : null
    let earliest: number | null = null
    let busy = false
    for (let i = 0; i < pools.length; i++) {
      const pool = pools[(ep.rr + i) % pools.length]!
      const member = ep.members.get(pool.key)!
      const ready = pool.delayed.findIndex((d) => d.notBefore <= now && this.mayTake(ep, pool, d))
      const item =
        ready >= 0
          ? pool.delayed.splice(ready, 1)[0]!
          : pool.head < pool.queue.length
            ? this.dequeue(pool)
            : null
      if (item) {
        ep.rr = (ep.rr + i + 1) % pools.length
        if (open === 'probe') ep.health.probing = true
        return { item, pool, member }
      }
      for (const d of pool.delayed) {
        if (!this.mayTake(ep, pool, d)) busy = true
        else earliest = earliest === null ? d.notBefore : Math.min(earliest, d.notBefore)
      }
      if (pool.inFlight > 0) busy = true
    }
    if (earliest !== null) return { waitUntil: earliest }
    return busy ? { waitUntil: null } : null
  }

  private dequeue(pool: Pool): WorkItem {
    const item = pool.queue[pool.head++]!
    if (pool.head > 4096 && pool.head * 2 > pool.queue.length) {
      pool.queue = pool.queue.slice(pool.head)
      pool.head = 0
    }
    return item
  }

  /** An item this endpoint should leave to a peer is still its own when no peer can serve it. */
  private mayTake(ep: EndpointState, pool: Pool, item: WorkItem): boolean {
    if (!item.avoid.includes(ep.id)) return true
    return !pool.endpoints.some(
      (e) => e !== ep && !item.avoid.includes(e.id) && e.members.get(pool.key)?.disabled === null,
    )
  }

  private async worker(ep: EndpointState): Promise<void> {
    while (this.stopReason === null && this.fatal === null) {
      if (this.lockedSince !== null) {
        await this.lockReleased()
        continue
      }
      const next = this.take(ep)
      if (next === null) return
      if ('waitUntil' in next) {
        await this.waitForChange(next.waitUntil)
        continue
      }
      next.pool.inFlight++
      try {
        await this.process(ep, next.pool, next.member, next.item)
      } catch (e) {
        // Not a model failure (those are handled per item): the database refused a write, or a bug.
        this.fatal ??= `Run ${this.runId} stopped: ${e instanceof Error ? e.message : String(e)}`
        this.abort.abort(new DOMException('Run stopped', 'AbortError'))
      } finally {
        next.pool.inFlight--
        this.notify()
      }
    }
  }

  // --- One item --------------------------------------------------------------------------------

  private async process(ep: EndpointState, pool: Pool, member: Member, item: WorkItem): Promise<void> {
    const b = this.benchmarks.get(item.versionId)!
    const row = this.stmts.instance.get(item.instanceId) as {
      ext_id: string
      input: string
      choices_json: string | null
      references_json: string
      metadata_json: string
    }
    const instance = {
      input: row.input,
      choices: row.choices_json ? (JSON.parse(row.choices_json) as string[]) : null,
      references: JSON.parse(row.references_json) as string[],
      metadata: JSON.parse(row.metadata_json) as Record<string, unknown>,
    }
    const prompt = buildPrompt(b.run.manifest.prompt, instance)
    const key = cacheKey({ digest: member.digest, key: member.modelKey }, prompt, b.generation)
    const cacheable = this.settings.useCache && member.digest !== null

    if (cacheable) {
      const hit = this.stmts.cacheHit.get(key) as { id: number; text: string } | undefined
      if (hit) {
        const scores = await scoreInline(b.metrics, hit.text, instance)
        await this.commit(() => {
          this.writeScores(item.itemId, scores)
          return this.stmts.itemDone.run(item.attempts, hit.id, nowIso(), item.itemId).changes
        })
        this.completed(item, pool.key, b, scores, true)
        return
      }
    }

    const startedAt = nowIso()
    const epAbort = ep.abort
    let result: ChatResult
    try {
      result = await member.client.chat(
        {
          model: member.modelName,
          messages: [{ role: 'user', content: prompt }],
          options: generationOptions(b.generation),
        },
        {
          purpose: {
            kind: 'run',
            runId: this.runId,
            benchmark: b.run.benchmarkId,
            instanceId: item.instanceId,
            modelKey: member.modelKey,
          },
          signal: AbortSignal.any([this.abort.signal, epAbort.signal]),
          timeoutMs: ep.timeoutMs,
        },
      )
    } catch (e) {
      if (causedByBusy(e) && !this.abort.signal.aborted) {
        // Not the model's failure: the audit row that must precede the request could not be
        // written (another process holds the database). Nothing was sent; wait, then try again.
        if (!this.waitForLock(e)) throw e
        pool.delayed.push({ ...item, notBefore: Date.now() + LOCK_RETRY_MS })
        return
      }
      if (epAbort.signal.aborted && !this.abort.signal.aborted) {
        // Its endpoint was taken out while this was in flight: a peer takes the item over.
        pool.delayed.push({ ...item, avoid: [ep.id], notBefore: 0 })
        return
      }
      await this.failed(ep, pool, member, item, e)
      return
    }
    member.exhaustedInARow = 0
    answered(ep.health, this.cooldownMs())
    const scores = await scoreInline(b.metrics, result.text, instance)
    const finishedAt = nowIso()
    await this.commit(() => {
      const requestId = Number(
        this.stmts.insertRequest.run(
          item.itemId,
          ep.id,
          member.modelName,
          member.digest,
          prompt,
          b.generationJson,
          key,
          startedAt,
        ).lastInsertRowid,
      )
      const responseId = Number(
        this.stmts.insertResponse.run(
          requestId,
          result.text,
          result.promptTokens,
          result.completionTokens,
          result.durations.wallMs,
          finishedAt,
        ).lastInsertRowid,
      )
      if (cacheable) this.stmts.insertCache.run(key, responseId, finishedAt)
      this.writeScores(item.itemId, scores)
      return this.stmts.itemDone.run(item.attempts + 1, responseId, finishedAt, item.itemId).changes
    })
    this.completed(item, pool.key, b, scores, false)
  }

  private writeScores(itemId: number, scores: ScoreRow[]): void {
    const at = nowIso()
    for (const s of scores)
      this.stmts.upsertScore.run(itemId, s.metric, s.value, s.status, JSON.stringify(s.details), at)
  }

  /**
   * Commits one item's writes. Completions that arrive in the same turn of the event loop are
   * committed together, in one transaction (group commit): an item is reported done only once its
   * transaction has committed. With `mustChange` the item must still be pending (a second
   * completion would be a repeat). When another process holds the database's write lock (an
   * import), the writes wait — and the run says for whom — until it is released.
   */
  private commit(write: () => number, mustChange = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writes.push({ write, mustChange, resolve, reject })
      if (this.writes.length === 1 && this.lockRetry === null) setImmediate(() => this.flush())
    })
  }

  private flush(): void {
    this.lockRetry = null
    const batch = this.writes
    this.writes = []
    if (batch.length === 0) return
    const check = (w: PendingWrite) => {
      if (w.write() !== 1 && w.mustChange)
        throw new AppError('conflict', `Run ${this.runId}: an item was completed twice; stopping`)
    }
    try {
      // The common case: the whole batch in one transaction.
      this.withShortBusyWait(() => this.db.transaction(() => batch.forEach(check))())
      this.unlocked()
      for (const w of batch) w.resolve()
      return
    } catch (e) {
      if (isBusyError(e) && this.waitForLock(e)) {
        this.writes = [...batch, ...this.writes]
        this.lockRetry = setTimeout(() => this.flush(), LOCK_RETRY_MS)
        return
      }
      // Something in the batch failed (rolled back): commit each on its own, so one bad write
      // does not take the others down, and tell each waiter its own outcome.
    }
    for (const w of batch) {
      try {
        this.db.transaction(() => check(w))()
        w.resolve()
      } catch (e) {
        w.reject(e)
      }
    }
  }

  private withShortBusyWait<T>(fn: () => T): T {
    return withBusyTimeout(this.db, WRITE_BUSY_MS, fn)
  }

  /**
   * While another process holds the write lock, workers send nothing: they wait here, one probe
   * (an empty write transaction) at a time, until it is released or patience is spent.
   */
  private lockReleased(): Promise<void> {
    this.lockPoll ??= (async () => {
      while (this.lockedSince !== null && this.fatal === null && this.stopReason === null) {
        await new Promise((r) => setTimeout(r, LOCK_RETRY_MS))
        try {
          this.withShortBusyWait(() => this.db.transaction(() => undefined).immediate())
          this.unlocked()
        } catch (e) {
          if (!isBusyError(e)) throw e
          if (!this.waitForLock(e)) this.abort.abort(new DOMException('Run stopped', 'AbortError'))
        }
      }
    })().finally(() => (this.lockPoll = null))
    return this.lockPoll
  }

  /** 'waiting: an import … holds the database's write lock' while this run's writes or its audit rows wait. */
  private currentWait(): string | null {
    if (this.lockedSince === null && auditWaitingForLockSince(this.db) === null) {
      this.waitingFor = null
      return null
    }
    this.waitingFor ??= `waiting: ${lockHolderText(this.db.name)}`
    return this.waitingFor
  }

  /** The database is locked by another process: true to wait on, false once patience is spent. */
  private waitForLock(e: unknown): boolean {
    const now = Date.now()
    this.lockedSince ??= now
    const patience = this.options.lockPatienceMs ?? WRITE_PATIENCE_MS
    if (now - this.lockedSince > patience) {
      this.fatal ??= `Run ${this.runId} stopped: the database stayed locked for ${Math.round(patience / 1000)} s (${lockHolderText(this.db.name)}): ${(e as Error).message}. Resume the run when it is free.`
      return false
    }
    if (this.waitingFor === null) this.emitProgress()
    return true
  }

  private unlocked(): void {
    if (this.lockedSince === null) return
    this.lockedSince = null
    this.waitingFor = null
    this.emitProgress()
  }

  private group(item: WorkItem, pool: string): Group | undefined {
    return this.groups.get(`${item.versionId}|${pool}`)
  }

  private completed(
    item: WorkItem,
    pool: string,
    b: BenchmarkState,
    scores: ScoreRow[],
    cached: boolean,
  ): void {
    const g = this.group(item, pool)
    if (g) {
      g.done++
      const main = scores.find((s) => s.metric === b.main)
      if (main && main.status === 'ok' && main.value !== null) {
        g.sum += main.value
        g.n++
      }
    }
    this.counts.done++
    this.counts.pending--
    if (cached) this.counts.cached++
    this.finished++
  }

  /** Base cool-down of an endpoint taken out of its pool (doubles with each failed probe). */
  private cooldownMs(): number {
    return Math.max(1000, this.settings.backoffMs * 4)
  }

  private async failed(
    ep: EndpointState,
    pool: Pool,
    member: Member,
    item: WorkItem,
    e: unknown,
  ): Promise<void> {
    if (this.abort.signal.aborted) {
      // Paused or cancelled: what was in flight stays pending, without counting an attempt.
      pool.queue.push(item)
      return
    }
    const err = e instanceof ModelError ? e : toModelError(e, ep.name, member.modelName)
    this.errors++
    this.lastError = `${member.modelKey}: ${err.message}`
    const kind = failureKind(err)
    if (err.kind === 'refused' || modelSpecific(err)) {
      // This endpoint cannot serve this model (its other models are unaffected): take it out of
      // the pool and give the item back to the pool's other endpoints.
      if (kind !== null) await this.commit(() => this.countFailure(member, ep, kind), false)
      member.disabled = err.message
      pool.queue.splice(pool.head, 0, item)
      this.endpointGone(pool, ep, member, err.message)
      return
    }
    if (err.retryable) this.endpointFailed(ep, err)
    const attempts = item.attempts + 1
    const failedOn = [...item.failedOn, ep.id]
    if (err.retryable && this.peerFor(pool, failedOn)) {
      // A peer endpoint has not tried it yet: it moves there at once, without using up a try.
      await this.commit(() => this.recordRetry(item.itemId, attempts, err, member, ep, kind), false)
      pool.delayed.push({ ...item, attempts, failedOn, avoid: failedOn, notBefore: 0 })
      return
    }
    const tries = item.tries + 1
    if (err.retryable && tries < this.settings.maxAttempts) {
      await this.commit(() => this.recordRetry(item.itemId, attempts, err, member, ep, kind), false)
      pool.delayed.push({
        ...item,
        attempts,
        tries,
        failedOn: [],
        avoid: [],
        notBefore: Date.now() + backoffDelay(tries, this.settings.backoffMs, this.random),
      })
      return
    }
    await this.commit(() => {
      this.countFailure(member, ep, kind)
      return this.stmts.itemFailed.run(attempts, err.message, nowIso(), item.itemId).changes
    })
    const g = this.group(item, pool.key)
    if (g) g.failed++
    this.counts.failed++
    this.counts.pending--
    this.finished++
    if (err.retryable) this.itemExhausted(pool, ep, member, err)
  }

  private countFailure(member: Member, ep: EndpointState, kind: string | null): number {
    if (kind !== null) this.stmts.countFailure.run(this.runId, member.modelKey, ep.name, kind)
    return 1
  }

  private recordRetry(
    itemId: number,
    attempts: number,
    err: ModelError,
    member: Member,
    ep: EndpointState,
    kind: string | null,
  ): number {
    this.stmts.itemRetry.run(attempts, err.message, nowIso(), itemId)
    return this.countFailure(member, ep, kind)
  }

  /** An endpoint of the pool, other than those the item failed on, that can take it now. */
  private peerFor(pool: Pool, failedOn: number[]): boolean {
    return pool.endpoints.some(
      (e) => !failedOn.includes(e.id) && !isDown(e.health) && e.members.get(pool.key)?.disabled === null,
    )
  }

  private hasPeers(ep: EndpointState): boolean {
    return [...ep.members.entries()].some(
      ([key, m]) =>
        m.disabled === null &&
        this.pools.get(key)!.endpoints.some((e) => e !== ep && e.members.get(key)?.disabled === null),
    )
  }

  /** A failed request worth retrying: after a few in a row, a pooled endpoint is taken out for a while. */
  private endpointFailed(ep: EndpointState, err: ModelError): void {
    if (!failedRequest(ep.health, Date.now(), this.hasPeers(ep), err.message)) return
    // Its requests in flight move to its peers now rather than after their time limit.
    ep.abort.abort(new DOMException(`Endpoint ${ep.name} taken out`, 'AbortError'))
    ep.abort = new AbortController()
    this.notify()
  }

  /**
   * Items of one model failing one after another on an endpoint after every try: the endpoint is
   * out for that model (a dead endpoint fails every model it serves, each in turn).
   */
  private itemExhausted(pool: Pool, ep: EndpointState, member: Member, err: ModelError): void {
    member.exhaustedInARow++
    if (member.exhaustedInARow < FAILED_ENDPOINT_AFTER) return
    const why = `it stopped answering (${member.exhaustedInARow} items in a row failed after ${this.settings.maxAttempts} attempts; last: ${err.message})`
    member.disabled = why
    this.endpointGone(pool, ep, member, why)
  }

  /**
   * When no endpoint of a pool that still has work is left, that work cannot be done in this
   * execution: it stays pending, the other models go on, and the run ends failed (resumable) with
   * a message naming the model and the endpoint that failed.
   */
  private endpointGone(pool: Pool, ep: EndpointState, member: Member, why: string): void {
    const alive = pool.endpoints.some((e) => e.members.get(pool.key)?.disabled === null)
    if (!alive && hasWork(pool) && !this.stranded.has(pool.key)) {
      const others = pool.endpoints.length > 1 ? ' and no other endpoint of its pool can serve it' : ''
      this.stranded.set(
        pool.key,
        `Model "${member.modelName}" on endpoint "${ep.name}" failed${others}: ${why}. Fix it and resume the run.`,
      )
    }
    if (!alive) {
      pool.queue = []
      pool.head = 0
      pool.delayed = []
    }
    this.notify()
  }

  // --- Control, progress, end ------------------------------------------------------------------

  private checkControl(): void {
    try {
      const row = this.stmts.control.get(this.runId) as
        { control: 'pause' | 'cancel' | null; lease_owner: string | null } | undefined
      if (!row || row.lease_owner !== this.owner) {
        // Another process took the run over (this one was presumed dead): stop without touching it.
        this.fatal ??= 'lease lost'
        this.abort.abort(new DOMException('Lease lost', 'AbortError'))
        this.notify()
        return
      }
      if (row.control) this.stop(row.control)
      if (Date.now() - this.lastLeaseRenew >= LEASE_RENEW_MS) {
        const until = new Date(Date.now() + LEASE_MS).toISOString()
        this.withShortBusyWait(() => this.stmts.renew.run(until, this.runId, this.owner))
        this.lastLeaseRenew = Date.now()
      }
    } catch (e) {
      this.lastError = `could not read the run's control state: ${(e as Error).message}`
    }
  }

  progress(status: RunStatus = 'running'): RunProgress {
    const now = Date.now()
    this.samples.push({ t: now, finished: this.finished })
    while (this.samples.length > 2 && now - this.samples[0]!.t > 10_000) this.samples.shift()
    const first = this.samples[0]!
    const dt = (now - first.t) / 1000
    const rate = dt > 0.2 ? (this.finished - first.finished) / dt : 0
    const pending = this.counts.pending
    return {
      runId: this.runId,
      status,
      counts: { ...this.counts },
      groups: [...this.groups.values()].map((g) => ({
        benchmarkId: g.benchmarkId,
        modelKey: g.modelKey,
        total: g.total,
        done: g.done,
        failed: g.failed,
        mainMetric: g.mainMetric,
        mainMean: g.n > 0 ? g.sum / g.n : null,
      })),
      rate,
      etaSeconds: pending === 0 ? 0 : rate > 0 ? pending / rate : null,
      errors: this.errors,
      lastError: this.lastError,
      waitingFor: this.currentWait(),
      at: new Date(now).toISOString(),
    }
  }

  private emitProgress(status: RunStatus = 'running'): void {
    this.ctx.events.emit('runs:progress', this.progress(status))
  }

  private finish(): RunStatus {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    if (this.wakeAt) clearTimeout(this.wakeAt)
    if (this.lockRetry) clearTimeout(this.lockRetry)
    if (this.fatal === 'lease lost') {
      registry(this.db).delete(this.runId)
      return 'running'
    }
    const db = this.db
    let status: RunStatus = 'completed'
    db.transaction(() => {
      const counts = runCounts(db, this.runId)
      this.counts = counts
      let error: string | null = null
      if (this.stopReason === 'cancel') status = 'cancelled'
      else if (this.stopReason === 'pause') status = 'paused'
      else if (this.fatal !== null) {
        status = 'failed'
        error = this.fatal
      } else if (this.stranded.size > 0) {
        status = 'failed'
        error = [...this.stranded.values()].join(' ')
      } else if (counts.failed > 0 || counts.pending > 0) {
        status = 'failed'
        error =
          counts.failed > 0
            ? `${counts.failed} of ${counts.total} items failed (${failedItemsText(db, this.runId)}); resume the run to retry them`
            : `${counts.pending} of ${counts.total} items were not run; resume the run to run them`
      }
      const at = nowIso()
      db.prepare(
        `UPDATE runs SET status = ?, error = ?, control = NULL, lease_owner = NULL, lease_until = NULL,
           finished_at = ? WHERE id = ? AND (lease_owner = ? OR lease_owner IS NULL)`,
      ).run(status, error, status === 'paused' ? null : at, this.runId, this.owner)
      refreshManifest(db, this.runId)
    }).immediate()
    registry(db).delete(this.runId)
    this.lockedSince = null
    this.emitProgress(status)
    return status
  }
}

/**
 * Pauses every run executing in this process and waits until each has stopped (the app calls it
 * before it quits, so its runs are recorded as paused rather than interrupted).
 */
export async function pauseAllExecutions(db: Db): Promise<void> {
  const running = [...registry(db).values()]
  for (const r of running) r.pause()
  await Promise.all(running.map((r) => r.done))
}
