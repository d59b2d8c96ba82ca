import { describe, expect, it } from 'vitest'
import { columns, databaseBefore, insertRatedRun, migrateThrough } from './migration-steps'

describe('migration 0006 (review)', () => {
  it('adds review sets, their items and reviewers’ progress, over a database with runs and ratings', () => {
    const db = databaseBefore(6)
    insertRatedRun(db)
    migrateThrough(db, 6)
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
