import type { Worker } from 'node:worker_threads'
import { startWorker } from '../../app/workers'
import type { Db } from '../open'
import { executeBatch, type BatchOutcome, type WriteBatch } from './batch'
import type { WriterJob, WriterReply, WriterRequest } from './worker'
import { statementCache } from './write-ops'

/**
 * Who commits the hot writes of a database (the audit log's queued rows, the dispatcher's
 * results): a thread of its own with its own connection (./worker.ts) — the thread that sends
 * model requests then only sends, parses and scores — or, for a database that has no second
 * connection (in memory) or no writer script, this thread's connection. Either way a batch is
 * committed whole or not at all, and a promise resolves only after its COMMIT.
 */
export interface DbWriter {
  commit(batch: WriteBatch): Promise<BatchOutcome>
  /** True when batches run on the caller's own connection (its open transaction matters). */
  readonly sharesConnection: boolean
  /**
   * Runs a checkpoint of the WAL off this thread: true when it will (a writer thread), false when
   * the caller must (the caller's own connection).
   */
  checkpointElsewhere(): boolean
  /** Waits (synchronously, bounded) for the batches sent, then stops. */
  close(): void
}

class InlineWriter implements DbWriter {
  readonly sharesConnection = true
  private readonly cache = statementCache()

  constructor(private readonly db: Db) {}

  commit(batch: WriteBatch): Promise<BatchOutcome> {
    return Promise.resolve(executeBatch(this.db, batch, this.cache))
  }

  checkpointElsewhere(): boolean {
    return false
  }

  close(): void {}
}

function notOpen(): BatchOutcome {
  return { ok: false, busy: false, message: 'The database connection is not open', code: null, repeat: null }
}

/** How long closing waits for batches still being committed. */
const DRAIN_MS = 10_000

class ThreadWriter implements DbWriter {
  readonly sharesConnection = false
  private worker: Worker | null = null
  private inline: InlineWriter | null = null
  private readonly replies = new Map<number, (o: BatchOutcome) => void>()
  private sent = 0
  private lastBatchAt = 0
  private readonly finished = new Int32Array(new SharedArrayBuffer(4))

  constructor(
    private readonly db: Db,
    private readonly job: Omit<WriterJob, 'finished'> & { script: string },
  ) {}

  /** Starts the thread (it boots while the caller prepares its work). */
  start(): void {
    this.worker ??= this.spawn()
  }

  commit(batch: WriteBatch): Promise<BatchOutcome> {
    // The writer serves its connection's owner: once that is closed, nothing more is written.
    if (!this.db.open) return Promise.resolve(notOpen())
    if (this.inline) return this.inline.commit(batch)
    const w = (this.worker ??= this.spawn())
    const id = ++this.sent
    this.lastBatchAt = Date.now()
    return new Promise((resolve) => {
      this.replies.set(id, resolve)
      if (this.replies.size === 1) w.ref()
      w.postMessage({ id, batch } satisfies WriterRequest)
    })
  }

  private spawn(): Worker {
    const { script, ...job } = this.job
    const w = startWorker(script, { workerData: { ...job, finished: this.finished.buffer } })
    w.on('message', (m: WriterReply) => {
      const reply = this.replies.get(m.id)
      this.replies.delete(m.id)
      if (this.replies.size === 0) w.unref()
      reply?.(m.outcome)
    })
    w.on('error', (e) => this.crashed(e))
    w.unref()
    return w
  }

  /**
   * The thread stopped (its native module failed to load, or it crashed): batches it had not
   * answered fail — nothing of theirs is acknowledged, so nothing is lost — and later batches are
   * committed on this thread's connection.
   */
  private crashed(e: Error): void {
    this.worker = null
    this.inline = new InlineWriter(this.db)
    const message = `the database writer thread stopped: ${e.message}`
    for (const reply of this.replies.values())
      reply({ ok: false, busy: false, message, code: null, repeat: null })
    this.replies.clear()
  }

  /**
   * While batches come the thread checkpoints between them (at most a second apart); otherwise it
   * is asked to now (started for it if need be).
   */
  checkpointElsewhere(): boolean {
    if (this.inline) return false
    if (this.worker !== null && Date.now() - this.lastBatchAt < 2000) return true
    this.start()
    this.worker!.postMessage({ checkpoint: true } satisfies WriterRequest)
    return true
  }

  close(): void {
    const w = this.worker
    this.worker = null
    if (!w) return
    const deadline = Date.now() + DRAIN_MS
    for (;;) {
      const done = Atomics.load(this.finished, 0)
      if (done >= this.sent || Date.now() >= deadline) break
      Atomics.wait(this.finished, 0, done, Math.max(1, deadline - Date.now()))
    }
    void w.terminate()
  }
}

interface Writers {
  active: DbWriter
  /** Attached, started by the first heavy writer (a run, a scoring pass). */
  thread: ThreadWriter | null
}

const writers = new WeakMap<Db, Writers>()

function writersOf(db: Db): Writers {
  let w = writers.get(db)
  if (!w) writers.set(db, (w = { active: new InlineWriter(db), thread: null }))
  return w
}

/**
 * Gives `db` a writer thread (the composition root does, for a database file). It starts with the
 * first heavy writer (`startWriterThread`: a run, a scoring pass); until then — a CLI command that
 * checks one endpoint, most of the app's life — audit rows commit on the main connection and no
 * thread is started.
 */
export function attachWriterThread(db: Db, job: Omit<WriterJob, 'finished'> & { script: string }): void {
  writersOf(db).thread = new ThreadWriter(db, job)
}

/** A heavy writer begins: the attached thread (if any) takes over the hot writes from now on. */
export function startWriterThread(db: Db): void {
  const w = writersOf(db)
  if (w.thread && w.active !== w.thread) {
    w.active = w.thread
    w.thread.start()
  }
}

/**
 * A checkpoint of `db`'s WAL off the calling thread: true when the attached writer thread runs
 * it (started for it if need be), false when the caller must.
 */
export function checkpointElsewhere(db: Db): boolean {
  return writers.get(db)?.thread?.checkpointElsewhere() ?? false
}

/** The writer of `db`: its thread once started, else its own connection. */
export function writerFor(db: Db): DbWriter {
  return writersOf(db).active
}

/** Stops the writer of `db` after the batches it was sent (before the database closes). */
export function closeWriter(db: Db): void {
  const w = writers.get(db)
  writers.delete(db)
  w?.active.close()
  w?.thread?.close()
}
