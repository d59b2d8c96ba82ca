import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../errors'
import { MIGRATIONS, type Migration } from './migrations'

export function migrationChecksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex')
}

/** The schema version recorded in the database (0 for a new file). */
export function schemaVersion(db: Database.Database): number {
  if (!hasMigrationsTable(db)) return 0
  const row = db.prepare('SELECT MAX(version) AS v FROM _migrations').get() as { v: number | null }
  return row.v ?? 0
}

function ensureMigrationsTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
}

function hasMigrationsTable(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_migrations'").get() !==
    undefined
  )
}

/**
 * Checks the schema history recorded in the database against this build's migrations without
 * writing anything (safe on a read-only database, and before the journal mode is touched).
 * Refuses a database whose history differs (an edited migration, or a newer app wrote it).
 * Returns the versions applied.
 */
export function checkSchemaHistory(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  if (!hasMigrationsTable(db)) return []
  const applied = db.prepare('SELECT version, name, checksum FROM _migrations ORDER BY version').all() as {
    version: number
    name: string
    checksum: string
  }[]
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version
  for (const row of applied) {
    const known = migrations.find((m) => m.version === row.version)
    if (!known) {
      throw new AppError(
        'conflict',
        `Database schema version ${row.version} (${row.name}) is newer than this WardEval build knows (latest ${latest}). Update WardEval to open it.`,
      )
    }
    if (migrationChecksum(known) !== row.checksum) {
      throw new AppError(
        'conflict',
        `Migration ${row.version} (${row.name}) recorded in the database differs from this build's: the schema history was altered.`,
      )
    }
  }
  return applied.map((r) => r.version)
}

/** Applies pending migrations, each in its own transaction, after checking the recorded history. */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => string = () => new Date().toISOString(),
): { from: number; to: number } {
  const applied = checkSchemaHistory(db, migrations)
  ensureMigrationsTable(db)
  const from = applied.length === 0 ? 0 : Math.max(...applied)
  const record = db.prepare(
    'INSERT INTO _migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  )
  for (const m of migrations) {
    if (m.version <= from) continue
    db.transaction(() => {
      db.exec(m.sql)
      record.run(m.version, m.name, migrationChecksum(m), now())
    })()
  }
  return {
    from,
    to: migrations.length === 0 ? 0 : Math.max(from, migrations[migrations.length - 1]!.version),
  }
}
