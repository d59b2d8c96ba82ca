import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { migrateThrough } from './migration-steps'

const NOW = '2026-01-01T00:00:00.000Z'

describe('migration 0002_taxonomy_tasks', () => {
  it('is version 2, applied after 0001 on a database that already holds data', () => {
    expect(MIGRATIONS[1]).toMatchObject({ version: 2, name: 'taxonomy_tasks' })
    const db = new Database(':memory:')
    migrateThrough(db, 1)
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', ?)").run(NOW)
    expect(migrateThrough(db, 2)).toEqual({ from: 1, to: 2 })
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name)
    expect(tables).toEqual(expect.arrayContaining(['taxonomy_tasks', 'taxonomy_task_benchmarks']))
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: 'v' })
  })

  it('refuses blank names, unknown origins, and two tasks with the same name in one subcategory', () => {
    const db = new Database(':memory:')
    migrateThrough(db, 2)
    const ins = db.prepare(
      'INSERT INTO taxonomy_tasks (id, origin, subcategory_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    ins.run('local_a', 'local', 'planning_treatments', 'Draft a plan', NOW, NOW)
    expect(() => ins.run('local_b', 'local', 'planning_treatments', '  ', NOW, NOW)).toThrow(/CHECK/)
    expect(() => ins.run('local_c', 'imported', 'planning_treatments', 'x', NOW, NOW)).toThrow(/CHECK/)
    expect(() => ins.run('local_d', 'local', 'planning_treatments', 'DRAFT A PLAN', NOW, NOW)).toThrow(
      /UNIQUE/,
    )
    ins.run('local_e', 'local', 'recording_procedures', 'Draft a plan', NOW, NOW)
    const map = db.prepare(
      'INSERT INTO taxonomy_task_benchmarks (task_id, benchmark_id, created_at) VALUES (?, ?, ?)',
    )
    map.run('local_a', 'medec', NOW)
    expect(() => map.run('local_a', 'medec', NOW)).toThrow(/UNIQUE|PRIMARY/)
  })
})
