import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { executeBatch, type BatchOutcome, type WriteBatch } from './batch'
import { statementCache } from './write-ops'

/**
 * The writer thread (./thread.ts): the connection that commits the hot writes — audit rows and
 * the dispatcher's results — so that the thread sending model requests only sends and parses.
 * Batches are run one at a time, in the order they were posted. Between two batches, at most once
 * a second, it checkpoints the WAL (PASSIVE): here, between its own commits, a checkpoint can copy
 * every frame and let the WAL restart from its beginning. It also runs the checkpoints the main
 * connection's timer asks for (./checkpoints.ts), so copying the WAL back never takes the main
 * thread while another thread is there to do it.
 */
export interface WriterJob {
  dbPath: string
  nativeBinding?: string
  /** Int32 [batches finished], for a synchronous drain at close (Atomics.wait). */
  finished: SharedArrayBuffer
}

/** A batch to commit (answered), or a checkpoint to run (unanswered). */
export type WriterRequest = { id: number; batch: WriteBatch } | { checkpoint: true }

export interface WriterReply {
  id: number
  outcome: BatchOutcome
}

const CHECKPOINT_EVERY_MS = 1000

const job = workerData as WriterJob
const port = parentPort!
const finished = new Int32Array(job.finished)
const db = new Database(job.dbPath, {
  fileMustExist: true,
  ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
})
db.pragma('foreign_keys = ON')
db.pragma('synchronous = NORMAL')
db.pragma('wal_autocheckpoint = 0')
const cache = statementCache()
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
let lastCheckpoint = Date.now()

function checkpointNow(): void {
  lastCheckpoint = Date.now()
  try {
    checkpoint.get()
  } catch {
    // Retried later; the checkpoint at close reports a failure that persists.
  }
}

port.on('message', (m: WriterRequest) => {
  if ('checkpoint' in m) return checkpointNow()
  const outcome = executeBatch(db, m.batch, cache)
  port.postMessage({ id: m.id, outcome } satisfies WriterReply)
  Atomics.add(finished, 0, 1)
  Atomics.notify(finished, 0)
  if (Date.now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) checkpointNow()
})
