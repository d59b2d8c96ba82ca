import Database from 'better-sqlite3'
import { closeSync, fdatasyncSync, openSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import type { CheckpointJob, FromCheckpointWorker } from './checkpoint-helper'

/**
 * The checkpoint helper's thread (./checkpoint-helper.ts): at the lowest priority, with a
 * connection of its own, copies the WAL back into the database file every `everyMs` (PASSIVE: it
 * never waits for the writer) and then flushes the database file, so that the pages it copied
 * reach the disk while the writer works rather than in the fsync of the final checkpoint.
 * Stops on 'stop'; a failure other than "another checkpoint is running" is reported and stops it.
 */

const port = parentPort
if (!port) throw new Error('checkpoint-worker.ts runs as a worker thread')
const job = workerData as CheckpointJob
const post = (m: FromCheckpointWorker) => port.postMessage(m)

// Linux gives each thread its own nice value (setpriority on the calling thread): this thread
// runs when a core would otherwise be idle, and never takes one from the writer.
setPriority(job.priority)
let db: Database.Database | null = null
let fd: number | null = null
let copied = 0
let stopped = false
let timer: NodeJS.Timeout | undefined

interface CheckpointRow {
  busy: number
  log: number
  checkpointed: number
}

function pass(): void {
  try {
    const [row] = db!.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[]
    // busy: another connection's checkpoint held the lock; the next pass copies what it left.
    if (!row || row.busy) return
    if (row.checkpointed !== copied && row.checkpointed > 0) fdatasyncSync(fd!)
    copied = row.checkpointed
  } catch (e) {
    post({ type: 'problem', message: (e as Error).message })
    stop()
  }
}

function stop(): void {
  if (stopped) return
  stopped = true
  clearInterval(timer)
  try {
    db?.close()
  } finally {
    if (fd !== null) closeSync(fd)
    port!.close()
  }
}

port.on('message', (m: unknown) => {
  if (m === 'stop') stop()
})
try {
  db = new Database(job.dbPath, {
    fileMustExist: true,
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  })
  fd = openSync(job.dbPath, 'r+')
  timer = setInterval(pass, job.everyMs)
} catch (e) {
  post({ type: 'problem', message: (e as Error).message })
  stop()
}
