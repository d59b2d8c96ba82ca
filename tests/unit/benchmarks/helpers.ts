import { mkdtempSync, rmSync } from 'node:fs'
import { afterEach, beforeEach } from 'vitest'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Db } from '../../../src/main/db/open'
import { tempContext, type TempContext } from '../../support/context'
import { runCliCaptured } from '../../support/cli'

export const FIXTURES = resolve(__dirname, '../../fixtures/benchmarks')

/** A context over a new database file; bundled samples off unless asked for. */
export function benchCtx(options: { samples?: boolean } = {}): TempContext {
  return tempContext(options.samples ? {} : { WARDEVAL_NO_SAMPLES: '1' })
}

export function tempDir(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-test-'))
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * For each test of the file: a new context (samples off) and a temporary folder, disposed after
 * it. Read them through the getters inside a test.
 */
export function perTestContext(): { ctx: () => TempContext; dir: () => string } {
  let ctx: TempContext | null = null
  let tmp: ReturnType<typeof tempDir> | null = null
  beforeEach(() => {
    ctx = benchCtx()
    tmp = tempDir()
  })
  afterEach(() => {
    ctx?.dispose()
    tmp?.dispose()
  })
  return { ctx: () => ctx!, dir: () => tmp!.dir }
}

const TABLES = [
  'benchmarks',
  'benchmark_versions',
  'instances',
  'settings',
  'taxonomy_tasks',
  'taxonomy_task_benchmarks',
]

/** Every row of the tables an import or a task edit may touch, to prove a failure changed nothing. */
export function snapshot(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]))
}

export function cli(args: string[], env: NodeJS.ProcessEnv = { WARDEVAL_NO_SAMPLES: '1' }) {
  return runCliCaptured(args, { env })
}
