import { statSync } from 'node:fs'
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../app/workers'
import type { CheckpointMessage } from './checkpoint-worker'
import type { Db } from './open'

/**
 * Keeps WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside whichever
 * commit crosses its threshold (a model request's audit row, a result), on the thread that sends
 * requests; here it is switched off and a timer checkpoints every `everyMs` instead (PASSIVE: it
 * never waits for the writers), and closing checkpoints what is left (TRUNCATE).
 *
 * Once the WAL has grown past `threadFromBytes` (a long run or a scoring pass writes tens of MB a
 * minute, and copying it back took a tenth of the main thread), a thread of its own
 * (./checkpoint-worker.ts, its own connection) copies the bulk first; this connection's checkpoint
 * then copies only the frames committed meanwhile. It must still run here, between two commits of
 * this connection: a checkpoint can only restart the WAL from its beginning when it has copied
 * every frame before the next write, which a thread racing the writer never manages — the WAL
 * would grow for as long as the run lasts.
 *
 * A background checkpoint that fails (disk full) loses nothing — the WAL keeps the data — and the
 * next one tries again; the final one, at close, reports its failure.
 */
export interface CheckpointOptions {
  dbPath: string
  /** The checkpoint thread's script (app/workers.ts); without one, all copying happens here. */
  script?: string
  nativeBinding?: string
  everyMs?: number
  threadFromBytes?: number
  /** Told each checkpoint of the thread. */
  onThreadCheckpoint?: (m: CheckpointMessage) => void
}

export const CHECKPOINT_THREAD_FROM_BYTES = 4 * 1024 * 1024

function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}-wal`).size
  } catch {
    return 0
  }
}

/** Starts background checkpoints; returns what stops them and checkpoints what is left. */
export function checkpointInBackground(db: Db, options: CheckpointOptions): () => void {
  db.pragma('wal_autocheckpoint = 0')
  const from = options.threadFromBytes ?? CHECKPOINT_THREAD_FROM_BYTES
  let thread: CheckpointThread | null = null
  let script = options.script
  const here = () => {
    try {
      if (db.open) db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Retried at the next tick; the checkpoint at close reports a failure that persists.
    }
  }
  const timer = setInterval(() => {
    if (thread === null && script !== undefined && walBytes(options.dbPath) >= from)
      thread = new CheckpointThread(script, options, () => {
        // The thread could not run (its native module failed to load): all copying happens here.
        thread = null
        script = undefined
      })
    if (thread === null) here()
    else thread.copy(here, options.onThreadCheckpoint)
  }, options.everyMs ?? 1000)
  timer.unref()
  return () => {
    clearInterval(timer)
    // Terminated, not awaited: the final checkpoint waits (busy timeout) for one still copying.
    thread?.stop()
    thread = null
    if (db.open) db.pragma('wal_checkpoint(TRUNCATE)')
  }
}

/** The checkpoint thread: one copy at a time, then `then` (this connection's checkpoint). */
class CheckpointThread {
  private readonly worker: Worker
  private then: (() => void) | null = null
  private told: ((m: CheckpointMessage) => void) | undefined

  constructor(script: string, options: CheckpointOptions, onCrash: () => void) {
    this.worker = startWorker(script, {
      workerData: { dbPath: options.dbPath, nativeBinding: options.nativeBinding },
    })
    this.worker.unref()
    this.worker.on('message', (m: CheckpointMessage) => {
      const then = this.then
      this.then = null
      this.told?.(m)
      then?.()
    })
    this.worker.on('error', onCrash)
  }

  copy(then: () => void, told?: (m: CheckpointMessage) => void): void {
    if (this.then !== null) return // still copying
    this.then = then
    this.told = told
    this.worker.postMessage('copy')
  }

  stop(): void {
    this.then = null
    void this.worker.terminate()
  }
}
