import { join } from 'node:path'

/**
 * Where the core's worker threads come from. The Electron build bundles each worker as its own
 * entry next to the main bundle (electron.vite.config.ts) and the composition root passes those
 * files; the CLI, the tests and the benches run the TypeScript sources through tsx (./workers.ts
 * starts them). Kept apart from ./workers.ts so that the CLI's entry can name the built files
 * without loading worker_threads before it answers `--version`.
 */

export type WorkerName = 'import' | 'bootstrap' | 'charts' | 'checkpoints'

/**
 * A worker's script: a built .js file, or a .ts source run through tsx. Without a bootstrap script
 * the leaderboard's bootstrap runs on the calling thread, in chunks.
 */
export type WorkerScripts = Record<Exclude<WorkerName, 'bootstrap' | 'charts' | 'checkpoints'>, string> & {
  bootstrap?: string
  /** The report's chart worker (report/chart-worker.ts); absent: found beside report/charts.ts. */
  charts?: string
  /** The checkpoint helper of a bulk import (db/checkpoint-helper.ts); absent: none is started. */
  checkpoints?: string
}

const SOURCES: Record<WorkerName, string> = {
  import: join('benchmarks', 'import-worker.ts'),
  bootstrap: join('analysis', 'bootstrap-worker.ts'),
  charts: join('report', 'chart-worker.ts'),
  checkpoints: join('db', 'checkpoint-worker.ts'),
}

/** The built entries (electron.vite.config.ts) beside the bundle in `dir`. */
const BUILT: Record<WorkerName, string> = {
  import: 'import-worker.js',
  bootstrap: 'bootstrap-worker.js',
  charts: 'chart-worker.js',
  checkpoints: 'checkpoint-worker.js',
}

/** The workers' TypeScript sources (src/main/…), for runs from source. */
export function sourceWorkerScripts(mainDir: string = join(__dirname, '..')): WorkerScripts {
  return {
    import: join(mainDir, SOURCES.import),
    bootstrap: join(mainDir, SOURCES.bootstrap),
    charts: join(mainDir, SOURCES.charts),
    checkpoints: join(mainDir, SOURCES.checkpoints),
  }
}

/** The workers bundled beside the app's or the CLI's bundle (out/main). */
export function builtWorkerScripts(bundleDir: string): Required<WorkerScripts> {
  return {
    import: join(bundleDir, BUILT.import),
    bootstrap: join(bundleDir, BUILT.bootstrap),
    charts: join(bundleDir, BUILT.charts),
    checkpoints: join(bundleDir, BUILT.checkpoints),
  }
}
