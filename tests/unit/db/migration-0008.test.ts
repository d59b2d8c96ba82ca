import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { columns, databaseBefore, migrateThrough } from './migration-steps'

const mine = MIGRATIONS.find((m) => m.name === 'jury_calibration')!

describe('migration 0008 (jury_calibration)', () => {
  it('adds stored calibrations over an existing database, and refuses fits on too few items', () => {
    const db = databaseBefore(mine.version)
    db.exec("INSERT INTO reviewers (id, name, created_at) VALUES (1, 'Dr A', 'x')")
    migrateThrough(db, mine.version)
    expect(columns(db, 'jury_calibrations')).toEqual([
      'id',
      'set_ids_json',
      'benchmarks_json',
      'items',
      'ratings',
      'seed',
      'folds',
      'map_json',
      'report_json',
      'created_at',
    ])
    expect(db.prepare('SELECT name FROM reviewers').pluck().all()).toEqual(['Dr A'])
    const insert = db.prepare(
      `INSERT INTO jury_calibrations (set_ids_json, benchmarks_json, items, ratings, seed, folds, map_json, report_json, created_at)
       VALUES ('[1]', '["b"]', ?, ?, 0, ?, '{"x":[1],"y":[2]}', '{}', 'x')`,
    )
    insert.run(30, 30, 5)
    expect(() => insert.run(29, 29, 5)).toThrow(/CHECK/)
    expect(() => insert.run(30, 10, 5)).toThrow(/CHECK/)
    expect(() => insert.run(30, 30, 1)).toThrow(/CHECK/)
    expect(db.prepare('SELECT COUNT(*) FROM jury_calibrations').pluck().get()).toBe(1)
  })
})
