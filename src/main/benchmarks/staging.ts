import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Db } from '../db/open'
import { processAlive } from '../app/process'

/**
 * Import staging: an import writes its instances in small transactions under a version row that
 * stays invisible while `import_staging` names it, and one short final transaction makes the
 * version visible (./store.ts). Readers never see a staged version (`visibleVersion`), and the
 * database's write lock is only ever held for one chunk, so a run in another process keeps going.
 *
 * Staged rows of an import that failed are removed by the import itself; those of a process that
 * died (SIGKILL, power loss) by the next open of the database or the next import
 * (`removeOrphanedStaging`). An import is dead when its process is gone (same host), when it is this
 * process's and no longer running here, or when its heartbeat is older than STALE_MS.
 */

/** An import whose heartbeat is older than this is taken for dead, whatever its process id says. */
export const STALE_MS = 10 * 60 * 1000
/** How often a live import renews its heartbeat (besides every chunk it writes). */
export const HEARTBEAT_MS = 15 * 1000
/** Instances deleted per transaction when staged rows are removed. */
const DELETE_CHUNK = 10_000

/** SQL condition: the benchmark_versions row `alias` is visible (not an import in progress). */
export function visibleVersion(alias: string): string {
  return `${alias}.id NOT IN (SELECT version_id FROM import_staging)`
}

/** Tokens of the imports running in this process. */
const running = new Set<string>()

export interface StagingRow {
  version_id: number
  token: string
  owner_host: string
  owner_pid: number
  created_benchmark: 0 | 1
  source_name: string
  heartbeat_ms: number
}

/** Whether the import that staged `row` is dead (its rows may be removed). */
export function isOrphan(row: StagingRow, now = Date.now()): boolean {
  if (now - row.heartbeat_ms > STALE_MS) return true
  if (row.owner_host !== hostname()) return false
  if (row.owner_pid === process.pid) return !running.has(row.token)
  return !processAlive(row.owner_pid)
}

/** A new staging owner for this process; `release` when the import ends, however it ends. */
export function newOwner(): { token: string; host: string; pid: number; release: () => void } {
  const token = randomUUID()
  running.add(token)
  return { token, host: hostname(), pid: process.pid, release: () => void running.delete(token) }
}

/**
 * Removes a staged version: its instances in chunks (each its own short transaction), then the
 * version and the staging row, and the benchmark row when the import created it and no other
 * version uses it. Interrupted, it leaves the staging row in place for the next attempt.
 */
export function removeStaging(db: Db, versionId: number): void {
  // Only while the staging row exists: a published version's instances are never touched.
  const del = db.prepare(
    `DELETE FROM instances WHERE rowid IN (SELECT rowid FROM instances WHERE benchmark_version_id = ?
       AND EXISTS (SELECT 1 FROM import_staging WHERE version_id = ?) LIMIT ?)`,
  )
  while (del.run(versionId, versionId, DELETE_CHUNK).changes > 0);
  db.transaction(() => {
    const row = db
      .prepare(
        `SELECT v.benchmark_id AS benchmarkId, s.created_benchmark AS created
         FROM benchmark_versions v JOIN import_staging s ON s.version_id = v.id WHERE v.id = ?`,
      )
      .get(versionId) as { benchmarkId: string; created: number } | undefined
    if (!row) return // published or removed meanwhile: never touch a visible version
    db.prepare('DELETE FROM import_staging WHERE version_id = ?').run(versionId)
    db.prepare('DELETE FROM benchmark_versions WHERE id = ?').run(versionId)
    if (row.created)
      db.prepare(
        'DELETE FROM benchmarks WHERE id = ? AND NOT EXISTS (SELECT 1 FROM benchmark_versions WHERE benchmark_id = ?)',
      ).run(row.benchmarkId, row.benchmarkId)
  }).immediate()
}

/** Removes the staged rows of every dead import; returns how many imports were cleaned up. */
export function removeOrphanedStaging(db: Db): number {
  if (db.readonly) return 0
  const rows = db.prepare('SELECT * FROM import_staging').all() as StagingRow[]
  let removed = 0
  for (const row of rows)
    if (isOrphan(row)) {
      removeStaging(db, row.version_id)
      removed++
    }
  return removed
}

/** Renews the heartbeat of a live import. */
export function heartbeat(db: Db, token: string): void {
  db.prepare('UPDATE import_staging SET heartbeat_ms = ? WHERE token = ?').run(Date.now(), token)
}
