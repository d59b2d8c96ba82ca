import type { Worker } from 'node:worker_threads'
import type { ApiIssue, ErrorCode } from '../../shared/api/envelope'
import type { BenchmarkManifest } from '../../shared/benchmarks/pack'
import { startWorker } from '../app/workers'
import { AppError } from '../errors'
import type { ImportOptions } from './importers/types'
import type { InstanceRows, RowBatch, RowsSummary } from './instance-rows'
import { restoreSharedSplit } from './row-values'

/**
 * The storing side of a file import: starts the import worker (./import-worker.ts) on the file
 * and turns its messages back into InstanceRows, so the caller's thread only writes SQLite while
 * the worker reads, validates and normalizes on another core.
 */

/**
 * Batches the worker may post ahead of the store. More would wait long enough to outlive
 * young-generation collections (16 was ~10% slower, 2 no faster: bench/cli-import.ts).
 */
export const IN_FLIGHT = 4

/** At most this long between two turns of the event loop while batches are waiting (ms). */
export const YIELD_EVERY_MS = 20

export interface ImportJob {
  format: string
  path: string
  options: Omit<ImportOptions, 'onProgress'>
}

export interface WorkerError {
  code: ErrorCode | null
  message: string
  issues: ApiIssue[] | null
  stack?: string | null
}

export type FromWorker =
  | { type: 'manifest'; manifest: BenchmarkManifest; manifestSource: string }
  | ({
      type: 'rows'
      file: string | null
      /** The split of every row, taken out of `values` (null there); null: each row has its own. */
      split: string | null
      read: number
      total: number | null
    } & RowBatch)
  | ({ type: 'end'; read: number; total: number | null } & RowsSummary)
  | { type: 'error'; error: WorkerError }

type Event = FromWorker | { type: 'crash'; error: Error } | { type: 'exit'; code: number }

function toError(e: WorkerError): Error {
  if (e.code) return new AppError(e.code, e.message, e.issues ? { issues: e.issues } : undefined)
  const err = new Error(`import worker: ${e.message}`)
  if (e.stack) err.stack = e.stack
  return err
}

/**
 * An import worker started before its job is known — by the CLI as it starts, when the command is
 * `import`, so that the thread's start and the loading of its modules overlap the opening of the
 * database (bench/cli-import.ts). Its events are queued from the start; `rowsInWorker` gives it
 * the job. Until then it does not keep the process alive.
 */
export interface ImportWorker {
  /** The worker's next message (or its crash, or its exit), taken in a turn of the event loop of its own. */
  next(): Promise<Event>
  post(message: ToWorker): void
  /** Keeps the process alive while the worker works (a started worker does not). */
  ref(): void
  stop(): void
}

export type ToWorker = { type: 'job'; job: ImportJob } | 'ack'

/** Starts the import worker `script`; it waits for its job (rowsInWorker). */
export function startImportWorker(script: string): ImportWorker {
  const worker: Worker = startWorker(script, {
    // A young generation big enough that a batch's strings die young instead of being promoted.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  })
  const queue: Event[] = []
  let waiting: (() => void) | null = null
  // The store runs from its own turn of the event loop, never inside the port's delivery of
  // messages: Node delivers a port's messages in one go (and with them every microtask they
  // resolve), which with a worker that keeps sending would hold timers and the app's other
  // requests for as long as the import lasts.
  const push = (e: Event) => {
    queue.push(e)
    if (waiting) {
      const w = waiting
      waiting = null
      setImmediate(w)
    }
  }
  worker.on('message', (m: FromWorker) => push(m))
  worker.on('error', (error) => push({ type: 'crash', error }))
  worker.on('exit', (code) => push({ type: 'exit', code }))
  // After the listeners: adding a 'message' listener refs the worker again.
  worker.unref()
  let turn = performance.now()
  return {
    next: async () => {
      if (!queue.length) {
        await new Promise<void>((resolve) => (waiting = resolve))
        turn = performance.now()
      } else if (performance.now() - turn > YIELD_EVERY_MS) {
        // Batches already here would be taken one after another in microtasks while the worker
        // stays ahead: give the event loop a turn now and then.
        await new Promise((resolve) => setImmediate(resolve))
        turn = performance.now()
      }
      return queue.shift()!
    },
    post: (m) => worker.postMessage(m),
    ref: () => worker.ref(),
    stop: () => void worker.terminate(),
  }
}

/**
 * Reads `job` in an import worker (its script, or one started already); resolves once the
 * manifest is read.
 */
export async function rowsInWorker(
  source: string | ImportWorker,
  job: ImportJob,
  onProgress?: (read: number, total: number | null) => void,
): Promise<InstanceRows> {
  const w = typeof source === 'string' ? startImportWorker(source) : source
  w.ref()
  w.post({ type: 'job', job })
  const next = w.next
  const stop = w.stop
  const unexpected = (e: Event): Error =>
    e.type === 'error'
      ? toError(e.error)
      : e.type === 'crash'
        ? e.error
        : new Error(
            `import worker stopped unexpectedly (${e.type === 'exit' ? `exit code ${e.code}` : e.type})`,
          )

  const first = await next()
  if (first.type !== 'manifest') {
    stop()
    throw unexpected(first)
  }
  let file: string | null = null
  let summary: RowsSummary | null = null

  async function* batches(): AsyncGenerator<RowBatch> {
    for (;;) {
      const e = await next()
      if (e.type === 'rows') {
        file = e.file
        onProgress?.(e.read, e.total)
        restoreSharedSplit(e.values, e.split)
        yield { values: e.values, lines: e.lines }
        w.post('ack')
      } else if (e.type === 'end') {
        onProgress?.(e.read, e.total)
        summary = { count: e.count }
        stop()
        return
      } else {
        stop()
        throw unexpected(e)
      }
    }
  }

  return {
    manifest: first.manifest,
    manifestSource: first.manifestSource,
    get file() {
      return file
    },
    batches: batches(),
    summary: () => {
      if (!summary) throw new Error('rowsInWorker: summary() before the rows were read')
      return summary
    },
    close: stop,
  }
}
