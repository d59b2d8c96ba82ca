import { availableParallelism } from 'node:os'
import { startWorker } from '../app/workers'
import type { ScoreMatrix } from './score-matrix'
import type { BootstrapJob } from './bootstrap-worker'

/**
 * Phase 1 of the bootstrap (every column's resampled cell means, the bulk of the work) on worker
 * threads, one per core (at most `threads`), columns dealt out by size. The main thread stays free
 * (the app keeps answering) and gets each column's means as it is done, for progress.
 */
export async function parallelCellMeans(
  matrix: ScoreMatrix,
  options: { seed: number; resamples: number; script: string; threads?: number },
  onColumn?: (done: number, total: number) => void,
): Promise<Float64Array[][]> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), matrix.columns.length))
  const load = new Array<number>(threads).fill(0)
  const share: ScoreMatrix['columns'][] = Array.from({ length: threads }, () => [])
  const bySize = [...matrix.columns].sort((a, b) => work(b) - work(a))
  for (const col of bySize) {
    const t = load.indexOf(Math.min(...load))
    share[t]!.push(col)
    load[t]! += work(col)
  }
  const means = new Map<string, Float64Array[]>()
  const total = matrix.columns.length
  await Promise.all(
    share.map(
      (columns) =>
        new Promise<void>((resolve, reject) => {
          if (columns.length === 0) return resolve()
          const job: BootstrapJob = { columns, seed: options.seed, resamples: options.resamples }
          const w = startWorker(options.script, { workerData: job })
          w.on('message', (m: { key: string; means: Float64Array[] } | { done: true }) => {
            if ('done' in m) return void w.terminate().then(() => resolve())
            means.set(m.key, m.means)
            onColumn?.(means.size, total)
          })
          w.on('error', reject)
          w.on('exit', (code) => {
            if (code !== 0 && !columns.every((c) => means.has(c.key)))
              reject(new Error(`bootstrap worker stopped with code ${code}`))
          })
        }),
    ),
  )
  return matrix.columns.map((c) => means.get(c.key)!)
}

const work = (c: ScoreMatrix['columns'][number]) => c.values.reduce((s, v) => s + v.length, 0)
