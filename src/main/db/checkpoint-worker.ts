import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'

/**
 * The checkpoint thread (./checkpoints.ts): a connection of its own to the database that, when
 * asked, copies the WAL back into the database file (a PASSIVE checkpoint: it never waits for, nor
 * blocks, the writers), off the thread that sends model requests and commits their results.
 * Answers each request with the outcome.
 */
export interface CheckpointJob {
  dbPath: string
  nativeBinding?: string
}

export type CheckpointMessage =
  { type: 'checkpoint'; walFrames: number; copied: number } | { type: 'failed'; message: string }

const job = workerData as CheckpointJob
const port = parentPort!
const db = new Database(job.dbPath, {
  fileMustExist: true,
  ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
})
db.pragma('wal_autocheckpoint = 0')
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')

port.on('message', () => {
  try {
    const r = checkpoint.get() as { busy: number; log: number; checkpointed: number }
    port.postMessage({
      type: 'checkpoint',
      walFrames: r.log,
      copied: r.checkpointed,
    } satisfies CheckpointMessage)
  } catch (e) {
    port.postMessage({ type: 'failed', message: (e as Error).message } satisfies CheckpointMessage)
  }
})
