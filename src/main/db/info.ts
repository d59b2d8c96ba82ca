import { existsSync, statSync } from 'node:fs'
import type { DbInfo } from '../../shared/api/app'
import { schemaVersion } from './migrate'
import { LATEST_SCHEMA_VERSION } from './migrations'
import type { Db } from './open'

/** Path, schema version and row counts per table (every user table, sorted by name). */
export function dbInfo(db: Db, path: string): DbInfo {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as { name: string }[]
  const counts = tables.map(({ name }) => {
    const row = db.prepare(`SELECT COUNT(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }
    return { table: name, rows: row.n }
  })
  let sizeBytes = 0
  if (path !== ':memory:') {
    for (const f of [path, `${path}-wal`]) if (existsSync(f)) sizeBytes += statSync(f).size
  }
  return {
    path,
    schemaVersion: schemaVersion(db),
    latestSchemaVersion: LATEST_SCHEMA_VERSION,
    sqliteVersion: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    sizeBytes,
    tables: counts,
  }
}
