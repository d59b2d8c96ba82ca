import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppContext } from '../../../src/main/app/context'
import { runImport } from '../../../src/main/benchmarks/import'
import { builtChunk } from '../../../src/main/benchmarks/importers/chunks'
import type { InstanceChunk } from '../../../src/main/benchmarks/importers/types'
import { instanceRows } from '../../../src/main/benchmarks/instance-rows'
import { listBenchmarks } from '../../../src/main/benchmarks/queries'
import { loadResources } from '../../../src/main/benchmarks/resources'
import { STALE_MS } from '../../../src/main/benchmarks/staging'
import { storeBenchmark } from '../../../src/main/benchmarks/store'
import type { PackInstanceInput } from '../../../src/shared/benchmarks/pack'
import type { TempContext } from '../../support/context'
import { mcInstances, mcManifest, writePack } from '../runs/helpers'
import { benchCtx, cli, snapshot } from './helpers'

/**
 * Imports write in small transactions under an invisible (staged) version and become visible in
 * one short final transaction (src/main/benchmarks/staging.ts, store.ts).
 */

let ctx: TempContext
beforeEach(() => {
  ctx = benchCtx()
})
afterEach(() => ctx.dispose())

/** Rows for the store whose instances stop after `pauseAfter` until `resume()`, or fail there. */
function gatedRows(n: number, pauseAfter: number, fail = false) {
  let resume!: () => void
  const gate = new Promise<void>((r) => (resume = r))
  let reached!: () => void
  const paused = new Promise<void>((r) => (reached = r))
  const all = mcInstances(n, 'g')
  // A chunk per instance, so that every instance before the gate reaches the store.
  async function* instances(): AsyncGenerator<InstanceChunk> {
    for (let i = 0; i < all.length; i++) {
      if (i === pauseAfter) {
        reached()
        await gate
        if (fail) yield builtChunk([{ id: 'bad', input: '', references: [] } as PackInstanceInput])
      }
      yield builtChunk([all[i]!])
    }
  }
  const rows = instanceRows({ manifest: mcManifest('staged_mc'), instances: instances() }, 100)
  return { rows, resume, paused }
}

function otherConnection(): Database.Database {
  const db = new Database(ctx.dbPath)
  db.pragma('busy_timeout = 0')
  return db
}

const store = (rows: ReturnType<typeof gatedRows>['rows']) =>
  storeBenchmark(ctx.db, rows, {
    resources: loadResources(ctx.resourcesDir),
    sourceFormat: 'pack',
    sourceName: 'staged.jsonl',
  })

describe('an import in progress', () => {
  it('is invisible to readers and holds no write lock between its chunks', async () => {
    const { rows, resume, paused } = gatedRows(1000, 500)
    const done = store(rows)
    await paused
    const other = otherConnection()
    try {
      // 500 rows are written (committed, staged) but nobody sees the benchmark.
      expect(
        (other.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n,
      ).toBeGreaterThanOrEqual(400)
      expect(listBenchmarks(ctx.db, loadResources(ctx.resourcesDir))).toEqual([])
      const shown = await cli(['--db', ctx.dbPath, 'benchmarks', 'show', 'staged_mc'])
      expect(shown.code).toBe(1)
      expect(shown.stderr).toMatch(/No benchmark "staged_mc"/)
      // Another process can write at once (busy timeout 0): the import holds no lock now.
      other.exec('BEGIN IMMEDIATE')
      other.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('probe', '1', 'x')").run()
      other.exec('COMMIT')
    } finally {
      other.close()
    }
    resume()
    const r = await done
    expect(r.instanceCount).toBe(1000)
    expect(listBenchmarks(ctx.db, loadResources(ctx.resourcesDir)).map((b) => b.id)).toEqual(['staged_mc'])
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM import_staging').get() as { n: number }).n).toBe(0)
  })

  it('that fails after several chunks leaves nothing, not even the new benchmark row', async () => {
    const before = snapshot(ctx.db)
    const { rows, resume, paused } = gatedRows(1000, 700, true)
    const done = store(rows)
    await paused
    resume()
    await expect(done).rejects.toThrow(/instance #701.*nothing was imported/)
    expect(snapshot(ctx.db)).toEqual(before)
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM import_staging').get() as { n: number }).n).toBe(0)
  })
})

describe('staged rows of a dead import', () => {
  /** A process id that is certainly not running. */
  function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
    return Number(r.stdout.toString())
  }

  function stageFor(pid: number, heartbeat: number, host = hostname()): void {
    ctx.db.exec(`
      INSERT INTO benchmarks (id, name, task_type, access, created_at) VALUES ('dead', 'Dead', 'open_ended', 'private', 'x');
      INSERT INTO benchmark_versions (id, benchmark_id, version, content_hash, manifest_json, source_format, instance_count, imported_at)
        VALUES (77, 'dead', '1', '', '{}', 'csv', 0, 'x');
      INSERT INTO instances (benchmark_version_id, ordinal, ext_id, input, references_json) VALUES (77, 0, 'a', 'q', '["r"]');
    `)
    ctx.db
      .prepare(
        `INSERT INTO import_staging (version_id, token, owner_host, owner_pid, created_benchmark, source_name, started_at, heartbeat_ms)
         VALUES (77, 't', ?, ?, 1, 'x.csv', 'x', ?)`,
      )
      .run(host, pid, heartbeat)
  }

  const rowsLeft = (db: Database.Database) =>
    ['benchmarks', 'benchmark_versions', 'instances', 'import_staging'].map(
      (t) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n,
    )

  it('are removed by the next open when the owning process is gone', () => {
    stageFor(deadPid(), Date.now())
    expect(rowsLeft(ctx.db)).toEqual([1, 1, 1, 1])
    const next = createAppContext({ dbPath: ctx.dbPath, env: { WARDEVAL_NO_SAMPLES: '1' } })
    try {
      expect(rowsLeft(next.db)).toEqual([0, 0, 0, 0])
    } finally {
      next.close()
    }
  })

  it('are kept while the owner lives, and removed once its heartbeat is stale', () => {
    // A live process on this host (the test runner's parent) that is not this one.
    stageFor(process.ppid, Date.now())
    const live = createAppContext({ dbPath: ctx.dbPath, env: { WARDEVAL_NO_SAMPLES: '1' } })
    expect(rowsLeft(live.db)).toEqual([1, 1, 1, 1])
    live.close()
    ctx.db.prepare('UPDATE import_staging SET heartbeat_ms = ?').run(Date.now() - STALE_MS - 1000)
    const later = createAppContext({ dbPath: ctx.dbPath, env: { WARDEVAL_NO_SAMPLES: '1' } })
    try {
      expect(rowsLeft(later.db)).toEqual([0, 0, 0, 0])
    } finally {
      later.close()
    }
  })
})

describe('the same file imported twice at once', () => {
  it('the second reports "already imported" (not a UNIQUE-constraint error)', async () => {
    const folder = writePack(ctx.dir, mcManifest('twice_mc'), mcInstances(3000, 't'))
    const results = await Promise.all([
      runImport(ctx, { format: 'pack', path: folder }),
      runImport(ctx, { format: 'pack', path: folder }),
    ])
    expect(results.map((r) => r.alreadyImported).sort()).toEqual([false, true])
    expect(results[0]!.contentHash).toBe(results[1]!.contentHash)
    expect(results.every((r) => r.instanceCount === 3000)).toBe(true)
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n).toBe(3000)
  })

  it('the second waits for the first, saying so, then reports "already imported"', async () => {
    const { rows, resume, paused } = gatedRows(1000, 500)
    const first = store(rows)
    await paused
    const folder = writePack(ctx.dir, mcManifest('staged_mc'), mcInstances(1000, 'g'))
    const waits: string[] = []
    const second = runImport(ctx, { format: 'pack', path: folder }, { onWait: (m) => waits.push(m) })
    for (let i = 0; i < 100 && waits.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(waits).toEqual([
      'Waiting: another import of staged_mc version "1" (staged.jsonl, this process) is in progress',
    ])
    resume()
    const [a, b] = await Promise.all([first, second])
    expect(a.alreadyImported).toBe(false)
    expect(b).toMatchObject({ alreadyImported: true, contentHash: a.contentHash, instanceCount: 1000 })
  })
})
