import type { RunProgress, RunStatus } from '../../shared/api/runs'
import type { AppContext } from '../app/context'
import type { Db } from '../db/open'
import { executions } from './executions'
import { WRITE_PATIENCE_MS, writeWhenFree } from '../db/busy-wait'
import { Dispatcher } from '../dispatch/dispatcher'
import { LEASE_MS, LeaseKeeper, leaseState, newLeaseOwner } from '../dispatch/lease'
import { etaSeconds, RateMeter } from '../dispatch/progress'
import { AppError } from '../errors'
import { fillResponseCache } from './response-cache'
import { RunClient, runLanes, type RunMember } from './run-client'
import { loadBenchmarks, RunTally, type RunItem } from './run-items'
import { failedItemsText, refreshManifest, runCounts, runRow, runSettings } from './store'

/**
 * The run engine: executes one run's pending items through the dispatcher (src/main/dispatch),
 * as its client (run-client.ts): per-endpoint limits, pools, retries with backoff, the cache,
 * durable commits and failure reporting are the dispatcher's. This module owns what is a run's
 * own: taking the run under this process's lease, the pause and cancel asked by another process
 * through runs.control, the progress events and the run's end status.
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

type Ctx = Pick<AppContext, 'db' | 'env' | 'events'>
type RunDispatcher = Dispatcher<RunItem, RunMember, unknown, unknown>

const nowIso = () => new Date().toISOString()

/** Marks the run running under `owner`'s lease; what failed before is pending again. */
function takeRun(db: Db, runId: number, owner: string): void {
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
    // Answers of an execution that ended without finishing (a killed process) are reusable now.
    fillResponseCache(db, runId)
    refreshManifest(db, runId)
  }).immediate()
}

/**
 * Takes the run (pending, paused, failed, or interrupted by a dead process), marks it running
 * under this process's lease, and starts executing it in the background.
 */
export function startExecution(ctx: Ctx, runId: number, options: ExecutionOptions = {}): RunExecution {
  const db = ctx.db
  if (executions(db).has(runId))
    throw new AppError('conflict', `Run ${runId} is already running in this process`)
  const owner = newLeaseOwner()
  takeRun(db, runId, owner)
  const execution = new RunExecution(ctx, runId, owner, options)
  executions(db).set(runId, execution)
  execution.start()
  return execution
}

export class RunExecution {
  readonly done: Promise<RunStatus>
  private resolveDone!: (s: RunStatus) => void
  private readonly db: Db
  private dispatcher: RunDispatcher | null = null
  private tally: RunTally | null = null
  /** Set when the run could not even be prepared. */
  private fatal: string | null = null
  private stopAsked: 'pause' | 'cancel' | null = null
  private readonly meter = new RateMeter()
  private timers: NodeJS.Timeout[] = []
  private readonly lease: LeaseKeeper

  constructor(
    private readonly ctx: Ctx,
    readonly runId: number,
    private readonly owner: string,
    private readonly options: ExecutionOptions,
  ) {
    this.db = ctx.db
    this.done = new Promise((r) => (this.resolveDone = r))
    const control = this.db.prepare('SELECT control, lease_owner FROM runs WHERE id = ?')
    const renew = this.db.prepare('UPDATE runs SET lease_until = ? WHERE id = ? AND lease_owner = ?')
    this.lease = new LeaseKeeper(
      owner,
      () =>
        control.get(runId) as { control: 'pause' | 'cancel' | null; lease_owner: string | null } | undefined,
      (until) => this.dispatcher!.commits.shortBusyWait(() => renew.run(until, runId, owner)),
    )
  }

  /** Asks the run to stop after aborting what is in flight (those items stay pending). */
  pause(): void {
    this.stop('pause')
  }

  cancel(): void {
    this.stop('cancel')
  }

  private stop(reason: 'pause' | 'cancel'): void {
    if (this.stopAsked !== 'cancel') this.stopAsked = reason
    this.dispatcher?.stop(reason)
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
          executions(this.db).delete(this.runId)
          this.resolveDone('failed')
        }
      },
    )
  }

  private prepare(): RunDispatcher {
    const settings = runSettings(runRow(this.db, this.runId))
    const benchmarks = loadBenchmarks(this.db, this.runId, settings)
    const lanes = runLanes(this.ctx, this.runId)
    this.tally = new RunTally(this.db, this.runId, benchmarks)
    const client = new RunClient(this.db, this.runId, settings, benchmarks, this.tally, lanes)
    const d = new Dispatcher(this.db, client, settings, lanes, {
      label: `Run ${this.runId}`,
      random: this.options.random,
      lockPatienceMs: this.options.lockPatienceMs,
      onChange: () => this.emitProgress(),
    }) as RunDispatcher
    if (this.stopAsked) d.stop(this.stopAsked)
    return d
  }

  private async execute(): Promise<RunStatus> {
    try {
      this.dispatcher = this.prepare()
    } catch (e) {
      this.fatal = e instanceof Error ? e.message : String(e)
      return this.finish()
    }
    this.timers.push(setInterval(() => this.emitProgress(), this.options.progressEveryMs ?? 250))
    this.timers.push(setInterval(() => this.checkControl(), this.options.controlEveryMs ?? 500))
    this.emitProgress()
    await this.dispatcher.run()
    return this.finishWhenWritable()
  }

  /** Records the end; a database locked by another process is waited for (with the same patience). */
  private finishWhenWritable(): Promise<RunStatus> {
    return writeWhenFree(this.db, () => this.finish(), {
      patienceMs: this.options.lockPatienceMs ?? WRITE_PATIENCE_MS,
      onWait: () => {
        this.dispatcher?.commits.noteWaiting()
        this.emitProgress()
      },
    })
  }

  private checkControl(): void {
    const d = this.dispatcher!
    try {
      const asked = this.lease.check()
      // Another process took the run over (this one was presumed dead): stop without touching it.
      if (asked === 'lost') d.fail('lease lost')
      else if (asked) d.stop(asked)
    } catch (e) {
      d.lastError = `could not read the run's control state: ${(e as Error).message}`
    }
  }

  progress(status: RunStatus = 'running'): RunProgress {
    const now = Date.now()
    const tally = this.tally
    const counts = tally ? { ...tally.counts } : runCounts(this.db, this.runId)
    const rate = this.meter.rate(tally?.finished ?? 0, now)
    const d = this.dispatcher
    return {
      runId: this.runId,
      status,
      counts,
      groups: tally?.groupsNow() ?? [],
      rate,
      etaSeconds: etaSeconds(counts.pending, rate),
      errors: d?.errors ?? 0,
      lastError: d?.lastError ?? null,
      waitingFor: d?.commits.waitingFor() ?? null,
      at: new Date(now).toISOString(),
    }
  }

  private emitProgress(status: RunStatus = 'running'): void {
    this.ctx.events.emit('runs:progress', this.progress(status))
  }

  /** The run's end status and, when it did not complete, why. */
  private outcome(counts: ReturnType<typeof runCounts>): { status: RunStatus; error: string | null } {
    const d = this.dispatcher
    const stop = d?.stopReason ?? this.stopAsked
    const fatal = this.fatal ?? d?.fatal ?? null
    if (stop === 'cancel') return { status: 'cancelled', error: null }
    if (stop === 'pause') return { status: 'paused', error: null }
    if (fatal !== null) return { status: 'failed', error: fatal }
    if (d && d.stranded.size > 0) return { status: 'failed', error: [...d.stranded.values()].join(' ') }
    if (counts.failed > 0)
      return {
        status: 'failed',
        error: `${counts.failed} of ${counts.total} items failed (${failedItemsText(this.db, this.runId)}); resume the run to retry them`,
      }
    if (counts.pending > 0)
      return {
        status: 'failed',
        error: `${counts.pending} of ${counts.total} items were not run; resume the run to run them`,
      }
    return { status: 'completed', error: null }
  }

  private finish(): RunStatus {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.dispatcher?.commits.close()
    if ((this.fatal ?? this.dispatcher?.fatal) === 'lease lost') {
      executions(this.db).delete(this.runId)
      return 'running'
    }
    const db = this.db
    let status: RunStatus = 'completed'
    db.transaction(() => {
      const counts = runCounts(db, this.runId)
      if (this.tally) this.tally.counts = counts
      const o = this.outcome(counts)
      status = o.status
      db.prepare(
        `UPDATE runs SET status = ?, error = ?, control = NULL, lease_owner = NULL, lease_until = NULL,
           finished_at = ? WHERE id = ? AND (lease_owner = ? OR lease_owner IS NULL)`,
      ).run(status, o.error, status === 'paused' ? null : nowIso(), this.runId, this.owner)
      fillResponseCache(db, this.runId)
      refreshManifest(db, this.runId)
    }).immediate()
    executions(db).delete(this.runId)
    this.emitProgress(status)
    return status
  }
}
