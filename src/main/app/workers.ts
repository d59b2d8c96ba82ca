import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Where the core's worker threads come from. The Electron build bundles each worker as its own
 * entry next to the main bundle (electron.vite.config.ts) and the composition root passes those
 * files; the CLI, the tests and the benches run the TypeScript sources through tsx, so there a
 * worker starts by registering tsx's require hook and then loads its source file.
 */

export type WorkerName = 'import' | 'bootstrap' | 'charts'

/**
 * A worker's script: a built .js file, or a .ts source run through tsx. Without a bootstrap script
 * the leaderboard's bootstrap runs on the calling thread, in chunks.
 */
export type WorkerScripts = Record<Exclude<WorkerName, 'bootstrap' | 'charts'>, string> & {
  bootstrap?: string
  /** The report's chart worker (report/chart-worker.ts); absent: found beside report/charts.ts. */
  charts?: string
}

const SOURCES: Record<WorkerName, string> = {
  import: join('benchmarks', 'import-worker.ts'),
  bootstrap: join('analysis', 'bootstrap-worker.ts'),
  charts: join('report', 'chart-worker.ts'),
}

/** The built entries (electron.vite.config.ts) beside the bundle in `dir`. */
const BUILT: Record<WorkerName, string> = {
  import: 'import-worker.js',
  bootstrap: 'bootstrap-worker.js',
  charts: 'chart-worker.js',
}

/** The workers' TypeScript sources (src/main/…), for runs from source. */
export function sourceWorkerScripts(mainDir: string = join(__dirname, '..')): WorkerScripts {
  return {
    import: join(mainDir, SOURCES.import),
    bootstrap: join(mainDir, SOURCES.bootstrap),
    charts: join(mainDir, SOURCES.charts),
  }
}

/** The workers bundled beside the app's or the CLI's bundle (out/main). */
export function builtWorkerScripts(bundleDir: string): Required<WorkerScripts> {
  return {
    import: join(bundleDir, BUILT.import),
    bootstrap: join(bundleDir, BUILT.bootstrap),
    charts: join(bundleDir, BUILT.charts),
  }
}

/** Starts a worker thread on `script` (a .ts source gets tsx's require hook first). */
export function startWorker(script: string, options: WorkerOptions = {}): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, options)
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)})`, {
    ...options,
    eval: true,
  })
}
