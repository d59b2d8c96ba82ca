import { auditWaitingForLockSince, joinQueuedAudit } from '../audit/log'
import { WRITE_PATIENCE_MS } from '../db/busy-wait'
import { isBusyError, withBusyTimeout } from '../db/errors'
import { lockHolderText } from '../db/lock-note'
import type { Db } from '../db/open'
import { AppError } from '../errors'

/**
 * The dispatcher's durable writes. Each result is one write (a function run inside a transaction);
 * writes that arrive within COMMIT_WINDOW_MS of each other are committed together in one
 * transaction (group commit), and a result is acknowledged — its promise resolves, the work counts as done —
 * only once the transaction holding it has committed. So a process killed at any moment loses
 * nothing that was acknowledged and repeats nothing that was committed.
 *
 * When another process holds the database's write lock (an import), the writes wait, with the
 * event loop free, and `waitingFor()` says for whom, until it is released or patience is spent.
 */

type JoinedAudit = NonNullable<ReturnType<typeof joinQueuedAudit>>

/** How long one write waits inside SQLite before the dispatcher waits outside it. */
const WRITE_BUSY_MS = 100
export const LOCK_RETRY_MS = 250

/**
 * How long a result waits for others to share its transaction. A commit writes every page it
 * touched (the results' tables, their indexes, the audit log's), so one commit of twenty results
 * costs little more than one of two. The wait is invisible to throughput: a worker sends its next
 * request meanwhile (one commit outstanding per worker), and a request takes longer than this.
 */
export const COMMIT_WINDOW_MS = 2
/** A batch this large commits at once. */
const MAX_BATCH = 256

interface PendingWrite {
  write: () => number
  /** The write must change exactly one row (the work item, still pending). */
  mustChange: boolean
  resolve: () => void
  reject: (e: unknown) => void
}

export interface CommitQueueOptions {
  /** What a second completion of one item is called in the error ('Run 3'). */
  label: string
  patienceMs?: number
  /** The lock state changed (started or stopped waiting): emit progress. */
  onWaitChange: () => void
  /** Patience is spent: the owner stops with this message. */
  onGiveUp: (message: string) => void
  /** Whether waiting should go on (false once the owner stops). */
  active: () => boolean
}

export class CommitQueue {
  private writes: PendingWrite[] = []
  /** Since when writes have found the database locked by another process (null: they have not). */
  lockedSince: number | null = null
  private lockRetry: NodeJS.Timeout | null = null
  private flushTimer: NodeJS.Timeout | null = null
  private lockPoll: Promise<void> | null = null
  private waitingText: string | null = null

  constructor(
    private readonly db: Db,
    private readonly options: CommitQueueOptions,
  ) {}

  /**
   * Commits one write. With `mustChange` it must change exactly one row (a second completion of
   * one item would be a repeat, and stops the owner).
   */
  commit(write: () => number, mustChange = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writes.push({ write, mustChange, resolve, reject })
      if (this.lockRetry !== null) return
      if (this.writes.length === 1) this.flushTimer = setTimeout(() => this.flush(), COMMIT_WINDOW_MS)
      else if (this.writes.length === MAX_BATCH) {
        clearTimeout(this.flushTimer!)
        this.flushTimer = setTimeout(() => this.flush(), 0)
      }
    })
  }

  private check(w: PendingWrite): void {
    if (w.write() !== 1 && w.mustChange)
      throw new AppError('conflict', `${this.options.label}: an item was completed twice; stopping`)
  }

  private flush(): void {
    this.lockRetry = null
    this.flushTimer = null
    const batch = this.writes
    this.writes = []
    if (batch.length === 0) return
    // The audit rows queued in this turn (requests about to leave, outcomes) join the transaction.
    const joined: { audit: JoinedAudit | null } = { audit: null }
    try {
      // The common case: the whole batch in one transaction.
      this.shortBusyWait(() =>
        this.db.transaction(() => {
          joined.audit = joinQueuedAudit(this.db)
          batch.forEach((w) => this.check(w))
        })(),
      )
      this.unlocked()
      joined.audit?.committed()
      for (const w of batch) w.resolve()
      return
    } catch (e) {
      joined.audit?.rolledBack()
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
        this.db.transaction(() => this.check(w))()
        w.resolve()
      } catch (e) {
        w.reject(e)
      }
    }
  }

  shortBusyWait<T>(fn: () => T): T {
    return withBusyTimeout(this.db, WRITE_BUSY_MS, fn)
  }

  /**
   * While another process holds the write lock, workers send nothing: they wait here, one probe
   * (an empty write transaction) at a time, until it is released or patience is spent.
   */
  released(): Promise<void> {
    this.lockPoll ??= (async () => {
      while (this.lockedSince !== null && this.options.active()) {
        await new Promise((r) => setTimeout(r, LOCK_RETRY_MS))
        try {
          this.shortBusyWait(() => this.db.transaction(() => undefined).immediate())
          this.unlocked()
        } catch (e) {
          if (!isBusyError(e)) throw e
          this.waitForLock(e)
        }
      }
    })().finally(() => (this.lockPoll = null))
    return this.lockPoll
  }

  /** The database is locked by another process: true to wait on, false once patience is spent. */
  waitForLock(e: unknown): boolean {
    const now = Date.now()
    const first = this.lockedSince === null
    this.lockedSince ??= now
    const patience = this.options.patienceMs ?? WRITE_PATIENCE_MS
    if (now - this.lockedSince > patience) {
      this.options.onGiveUp(
        `${this.options.label} stopped: the database stayed locked for ${Math.round(patience / 1000)} s (${lockHolderText(this.db.name)}): ${(e as Error).message}. Resume the run when it is free.`,
      )
      return false
    }
    if (first || this.waitingText === null) this.options.onWaitChange()
    return true
  }

  /** Marks the lock as waited for by something else (the end-of-run write). */
  noteWaiting(): void {
    this.lockedSince ??= Date.now()
  }

  private unlocked(): void {
    if (this.lockedSince === null) return
    this.lockedSince = null
    this.waitingText = null
    this.options.onWaitChange()
  }

  /** 'waiting: an import … holds the database's write lock' while writes or audit rows wait. */
  waitingFor(): string | null {
    if (this.lockedSince === null && auditWaitingForLockSince(this.db) === null) {
      this.waitingText = null
      return null
    }
    this.waitingText ??= `waiting: ${lockHolderText(this.db.name)}`
    return this.waitingText
  }

  close(): void {
    if (this.lockRetry) clearTimeout(this.lockRetry)
    // Writes still in their window are committed now, never dropped.
    if (this.flushTimer) {
      clearTimeout(this.flushTimer)
      this.flush()
    }
    this.lockRetry = null
    this.lockedSince = null
  }
}
