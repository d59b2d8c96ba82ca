import Database from 'better-sqlite3'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'

/**
 * The steps every migration test takes: bring a database to the schema just before the migration
 * under test, put rows in it as an older WardEval wrote them, then apply the migration.
 */

/** Applies every migration before `version` (the schema an older WardEval left). */
export function migrateBefore(db: Database.Database, version: number) {
  return migrate(
    db,
    MIGRATIONS.filter((m) => m.version < version),
  )
}

/** A new in-memory database (foreign keys on, as WardEval opens one) at the schema before `version`. */
export function databaseBefore(version: number): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrateBefore(db, version)
  return db
}

/** Applies the migrations up to and including `version` (returns what `migrate` returns). */
export function migrateThrough(db: Database.Database, version: number) {
  return migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= version),
  )
}

/** The column names of `table`, in order. */
export const columns = (db: Database.Database, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)

/**
 * An older database's content the review migrations start from: a benchmark version with one
 * instance, a completed run with one done item, and a reviewer's rating of it.
 */
export function insertRatedRun(db: Database.Database): void {
  db.exec(`
    INSERT INTO benchmarks (id, name, task_type, access, created_at) VALUES ('b', 'B', 'open_ended', 'private', 'x');
    INSERT INTO benchmark_versions (id, benchmark_id, version, content_hash, manifest_json, source_format, instance_count, imported_at)
      VALUES (1, 'b', '1', 'h', '{}', 'pack', 1, 'x');
    INSERT INTO instances (id, benchmark_version_id, ordinal, ext_id, input, references_json) VALUES (1, 1, 0, 'a', 'q', '[]');
    INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 0, 'x');
    INSERT INTO run_items (id, run_id, model_key, instance_id, status, updated_at) VALUES (1, 1, 'ollama/m', 1, 'done', 'x');
    INSERT INTO reviewers (id, name, created_at) VALUES (1, 'Dr A', 'x');
    INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, created_at) VALUES (1, 1, 'accuracy', 4, 'x');
  `)
}
