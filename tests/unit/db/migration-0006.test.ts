import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'

const columns = (db: Database.Database, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)

describe('migration 0006 (review)', () => {
  it('adds review sets, their items and reviewers’ progress, over a database with runs and ratings', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 6),
    )
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
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 6),
    )
    expect(columns(db, 'review_sets')).toEqual([
      'id',
      'run_id',
      'benchmark_version_id',
      'size',
      'seed',
      'criteria_json',
      'created_at',
    ])
    expect(columns(db, 'review_set_items')).toEqual(['set_id', 'run_item_id', 'ordinal'])
    expect(columns(db, 'review_progress')).toEqual(['set_id', 'reviewer_id', 'position', 'updated_at'])
    // Ratings written before it are untouched.
    expect(db.prepare('SELECT score FROM ratings').pluck().all()).toEqual([4])

    db.exec(`INSERT INTO review_sets (id, run_id, benchmark_version_id, size, seed, criteria_json, created_at)
             VALUES (1, 1, 1, 1, 0, '[]', 'x')`)
    db.exec('INSERT INTO review_set_items (set_id, run_item_id, ordinal) VALUES (1, 1, 0)')
    db.exec("INSERT INTO review_progress (set_id, reviewer_id, position, updated_at) VALUES (1, 1, 0, 'x')")
    // An item once per set; a set of no items, a negative position, or a missing run item are refused.
    expect(() =>
      db.exec('INSERT INTO review_set_items (set_id, run_item_id, ordinal) VALUES (1, 1, 1)'),
    ).toThrow(/UNIQUE/)
    expect(() =>
      db.exec(
        "INSERT INTO review_sets (run_id, benchmark_version_id, size, seed, criteria_json, created_at) VALUES (1, 1, 0, 0, '[]', 'x')",
      ),
    ).toThrow(/CHECK constraint/)
    expect(() => db.exec('UPDATE review_progress SET position = -1 WHERE set_id = 1')).toThrow(
      /CHECK constraint/,
    )
    expect(() =>
      db.exec('INSERT INTO review_set_items (set_id, run_item_id, ordinal) VALUES (1, 42, 5)'),
    ).toThrow(/FOREIGN KEY/)
    // Deleting a run removes its review sets, their items and progress.
    db.exec('DELETE FROM ratings')
    db.exec('DELETE FROM run_items')
    db.exec('DELETE FROM runs WHERE id = 1')
    expect(db.prepare('SELECT COUNT(*) FROM review_sets').pluck().get()).toBe(0)
    expect(db.prepare('SELECT COUNT(*) FROM review_progress').pluck().get()).toBe(0)
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all()
    expect(indexes).toEqual(
      expect.arrayContaining(['review_sets_run', 'review_set_items_item', 'ratings_item']),
    )
    db.close()
  })
})
