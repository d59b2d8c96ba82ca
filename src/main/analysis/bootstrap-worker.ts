import { parentPort, workerData } from 'node:worker_threads'
import type { MatrixColumn } from './score-matrix'
import { columnMeans } from './uncertainty'

/**
 * A worker thread of the leaderboard bootstrap (./bootstrap-parallel.ts): the resampled cell means
 * of the columns it is given. Each column has its own seeded stream, so the result does not depend
 * on which thread computes it.
 */
export interface BootstrapJob {
  columns: MatrixColumn[]
  seed: number
  resamples: number
}

const job = workerData as BootstrapJob
const port = parentPort!
for (const col of job.columns) {
  const means = columnMeans(col, job.seed, job.resamples)
  port.postMessage(
    { key: col.key, means },
    means.map((m) => m.buffer as ArrayBuffer),
  )
}
port.postMessage({ done: true })
