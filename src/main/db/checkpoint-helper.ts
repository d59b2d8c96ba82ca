import type { Worker } from 'node:worker_threads'
import { startWorker } from '../app/workers'
import { assistCheckpoints } from './checkpoints'

/**
 * A helper for bulk writers (an import of many rows): a thread of the lowest priority, with its
 * own connection, that copies the WAL back into the database file while the writer works
 * (./checkpoint-worker.ts), using a core only while it would be idle. Meanwhile the main
 * connection's timer leaves the copying to it (./checkpoints.ts); once it stops, the timer takes
 * over again, and the checkpoint at close is left what the helper's last pass did not copy.
 *
 * Started only where a thread's priority is its own (Linux: a nice value per thread). Elsewhere
 * lowering it would lower the whole process, and a helper at normal priority takes turns from the
 * writer on two cores (measured: bench/cli-import.ts; bench/run-throughput.ts, for which it is not
 * used, lost 3 points with it), so the writer's connection checkpoints alone, as before.
 */

/** How often the helper copies the WAL back (ms). */
export const HELPER_EVERY_MS = 200

/** Nice value of the helper's thread: the lowest priority. */
export const HELPER_PRIORITY = 19

export interface CheckpointJob {
  dbPath: string
  nativeBinding?: string
  everyMs: number
  priority: number
}

export type FromCheckpointWorker = { type: 'problem'; message: string }

export interface CheckpointHelper {
  /** Stops the helper; resolves once its thread has ended, with what went wrong in it, if anything. */
  stop(): Promise<string | null>
}

/** Whether this platform gives each thread a priority of its own. */
export function threadPriorityIsOwn(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux'
}

/**
 * Starts the helper on the database file `dbPath`; null where it is not used (no script, an
 * in-memory database, or a platform where a thread's priority is not its own).
 */
export function startCheckpointHelper(
  script: string | undefined,
  db: { dbPath: string; nativeBinding?: string | undefined },
  options: { everyMs?: number; platform?: NodeJS.Platform } = {},
): CheckpointHelper | null {
  if (!script || db.dbPath === ':memory:' || !threadPriorityIsOwn(options.platform)) return null
  const job: CheckpointJob = {
    dbPath: db.dbPath,
    ...(db.nativeBinding ? { nativeBinding: db.nativeBinding } : {}),
    everyMs: options.everyMs ?? HELPER_EVERY_MS,
    priority: HELPER_PRIORITY,
  }
  const worker: Worker = startWorker(script, { workerData: job })
  const release = assistCheckpoints(db.dbPath)
  let problem: string | null = null
  worker.on('message', (m: FromCheckpointWorker) => (problem ??= m.message))
  worker.on('error', (e) => (problem ??= String((e as Error | undefined)?.message ?? e)))
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    stop: async () => {
      worker.postMessage('stop')
      await ended
      release()
      return problem === null ? null : `the checkpoint helper stopped: ${problem}`
    },
  }
}
