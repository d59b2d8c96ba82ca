import type { Worker } from 'node:worker_threads'
import type { ApiIssue, ErrorCode } from '../../shared/api/envelope'
import type { BenchmarkManifest } from '../../shared/benchmarks/pack'
import { startWorker } from '../app/workers'
import { AppError } from '../errors'
import type { ImportOptions } from './importers/types'
import type { InstanceRows, RowBatch, RowsSummary } from './instance-rows'

/**
 * The storing side of a file import: starts the import worker (./import-worker.ts) on the file
 * and turns its messages back into InstanceRows, so the caller's thread only writes SQLite while
 * the worker reads, validates and normalizes on another core.
 */

/**
 * Batches the worker may post ahead of the store: enough (16 × 1,000 rows, a few MB) for the
 * worker to keep reading while the store stops for a WAL checkpoint (bench/cli-import.ts: 4 left it
 * waiting, ~10% slower).
 */
export const IN_FLIGHT = 16

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
  | ({ type: 'rows'; file: string | null; read: number; total: number | null } & RowBatch)
  | ({ type: 'end'; read: number; total: number | null } & RowsSummary)
  | { type: 'error'; error: WorkerError }

type Event = FromWorker | { type: 'crash'; error: Error } | { type: 'exit'; code: number }

function toError(e: WorkerError): Error {
  if (e.code) return new AppError(e.code, e.message, e.issues ? { issues: e.issues } : undefined)
  const err = new Error(`import worker: ${e.message}`)
  if (e.stack) err.stack = e.stack
  return err
}

/** Reads `job` in a worker thread; resolves once the manifest is read. */
export async function rowsInWorker(
  script: string,
  job: ImportJob,
  onProgress?: (read: number, total: number | null) => void,
): Promise<InstanceRows> {
  const worker: Worker = startWorker(script, {
    workerData: job,
    // A young generation big enough that a batch's strings die young instead of being promoted.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  })
  const queue: Event[] = []
  let waiting: ((e: Event) => void) | null = null
  const push = (e: Event) => {
    if (waiting) {
      const w = waiting
      waiting = null
      w(e)
    } else queue.push(e)
  }
  worker.on('message', (m: FromWorker) => push(m))
  worker.on('error', (error) => push({ type: 'crash', error }))
  worker.on('exit', (code) => push({ type: 'exit', code }))
  const next = (): Promise<Event> =>
    queue.length ? Promise.resolve(queue.shift()!) : new Promise((resolve) => (waiting = resolve))
  const stop = () => void worker.terminate()
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
        yield { values: e.values, lines: e.lines }
        worker.postMessage('ack')
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
