import { parentPort } from 'node:worker_threads'
import { isAppError } from '../errors'
import { findImporter } from './importers'
import { instanceRows } from './instance-rows'
import { takeSharedSplit } from './row-values'
import { IN_FLIGHT, type FromWorker, type ImportJob, type ToWorker, type WorkerError } from './worker-rows'

/**
 * The import worker: reads the file with its importer, validates and normalizes the instances
 * (./instance-rows.ts) and posts them in batches to the thread that hashes and stores them
 * (./worker-rows.ts). At most IN_FLIGHT batches wait unacknowledged, so memory stays flat
 * whatever the file's size.
 */

const port = parentPort
if (!port) throw new Error('import-worker.ts runs as a worker thread')

let credits = IN_FLIGHT
let wake: (() => void) | null = null
// The job comes first (the worker may be started before it is known: worker-rows.ts), then acks.
port.on('message', (m: ToWorker) => {
  if (m === 'ack') {
    credits++
    wake?.()
    wake = null
  } else if (m.type === 'job') {
    run(m.job).catch((e: unknown) => post({ type: 'error', error: describe(e) }))
  }
})

const post = (m: FromWorker) => port.postMessage(m)

function describe(e: unknown): WorkerError {
  if (isAppError(e)) return { code: e.code, message: e.message, issues: e.issues ?? null }
  const err = e instanceof Error ? e : new Error(String(e))
  return { code: null, message: err.message, issues: null, stack: err.stack ?? null }
}

async function run(job: ImportJob): Promise<void> {
  let read = 0
  let total: number | null = null
  const imported = await findImporter(job.format).read(job.path, {
    ...job.options,
    onProgress: (r, t) => {
      read = r
      total = t
    },
  })
  if (job.options.benchmarkId) imported.manifest = { ...imported.manifest, id: job.options.benchmarkId }
  const rows = instanceRows(imported)
  post({ type: 'manifest', manifest: rows.manifest, manifestSource: rows.manifestSource })
  for await (const batch of rows.batches) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve))
    credits--
    const split = takeSharedSplit(batch.values)
    post({ type: 'rows', values: batch.values, lines: batch.lines, split, file: rows.file, read, total })
  }
  post({ type: 'end', ...rows.summary(), read, total })
}
