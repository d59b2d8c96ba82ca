import { createRequire } from 'node:module'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starting the core's worker threads (their scripts: ./worker-scripts.ts). A built .js file starts
 * as it is; a .ts source (the CLI from source, the tests, the benches) starts by registering tsx's
 * require hook and then loads its source file.
 */

/** Starts a worker thread on `script` (a .ts source gets tsx's require hook first). */
export function startWorker(script: string, options: WorkerOptions = {}): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, options)
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)})`, {
    ...options,
    eval: true,
  })
}
